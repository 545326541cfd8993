import { LineAssembler } from './line-assembler';

/**
 * Turns the bytes of dockerd's log endpoint into lines. Without a TTY, dockerd multiplexes stdout and stderr
 * into frames (an 8-byte header: the stream in byte 0, the payload's length big-endian in bytes 4-7); with
 * one, the bytes come raw. Chunks may split frames, lines and UTF-8 characters anywhere; each stream's lines
 * are assembled apart, and bounded (LineAssembler): a container printing without newlines costs little.
 */
export class DockerLogLines {
  private pending: Buffer = Buffer.alloc(0);
  /** Lines per stream (1 stdout, 2 stderr; 0 for a TTY's raw bytes). */
  private readonly streams = new Map<number, LineAssembler>();

  constructor(
    private readonly tty: boolean,
    private readonly onLine: (line: string) => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.tty) return this.stream(0).push(chunk);
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= 8) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) return;
      this.stream(this.pending[0]).push(this.pending.subarray(8, 8 + size));
      this.pending = this.pending.subarray(8 + size);
    }
  }

  /** The stream ended: a last line without a newline still counts. */
  end(): void {
    for (const lines of this.streams.values()) lines.end();
    this.streams.clear();
  }

  private stream(id: number): LineAssembler {
    let lines = this.streams.get(id);
    if (!lines)
      this.streams.set(id, (lines = new LineAssembler((line) => this.onLine(line.replace(/\r$/, '')))));
    return lines;
  }
}
