/**
 * Turns the bytes of dockerd's log endpoint into lines. Without a TTY, dockerd multiplexes stdout and stderr
 * into frames (an 8-byte header: the stream in byte 0, the payload's length big-endian in bytes 4-7); with
 * one, the bytes come raw. Chunks may split frames, lines and UTF-8 characters anywhere, so bytes are kept
 * until a whole line is in, per stream, and only then decoded.
 */
export class DockerLogLines {
  private pending: Buffer = Buffer.alloc(0);
  /** Unfinished line per stream (1 stdout, 2 stderr; 0 for a TTY's raw bytes). */
  private readonly partial = new Map<number, Buffer>();

  constructor(
    private readonly tty: boolean,
    private readonly onLine: (line: string) => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.tty) return this.payload(0, chunk);
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= 8) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) return;
      this.payload(this.pending[0], this.pending.subarray(8, 8 + size));
      this.pending = this.pending.subarray(8 + size);
    }
  }

  /** The stream ended: a last line without a newline still counts. */
  end(): void {
    for (const rest of this.partial.values()) if (rest.length) this.emit(rest);
    this.partial.clear();
  }

  private payload(stream: number, bytes: Buffer): void {
    let rest = Buffer.concat([this.partial.get(stream) ?? Buffer.alloc(0), bytes]);
    for (let newline = rest.indexOf(0x0a); newline >= 0; newline = rest.indexOf(0x0a)) {
      this.emit(rest.subarray(0, newline));
      rest = rest.subarray(newline + 1);
    }
    this.partial.set(stream, rest);
  }

  private emit(bytes: Buffer): void {
    this.onLine(bytes.toString('utf8').replace(/\r$/, ''));
  }
}
