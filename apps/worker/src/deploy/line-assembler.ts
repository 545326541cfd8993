/** The longest line passed on; what a longer line holds beyond it is dropped and counted. */
export const MAX_LINE_BYTES = 16 * 1024;

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Whole lines out of the chunks of a stream that a deployed project writes (a build's output, a container's
 * log): chunks may split lines and UTF-8 characters anywhere, so bytes are kept until a line is whole, and
 * then decoded. A line is kept to MAX_LINE_BYTES, the rest of it counted and dropped, so a program that prints
 * gigabytes without a newline costs a bounded amount of memory. `carriageReturns` also ends a line at `\r`
 * (progress output that rewrites its line: each rewrite counts as a line).
 */
export class LineAssembler {
  private readonly parts: Buffer[] = [];
  private kept = 0;
  private dropped = 0;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly options: { carriageReturns?: boolean; max?: number } = {},
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (let index = 0; index < chunk.length; index++) {
      const byte = chunk[index];
      if (byte !== NEWLINE && !(byte === CARRIAGE_RETURN && this.options.carriageReturns)) continue;
      this.keep(chunk.subarray(start, index));
      this.flush();
      start = index + 1;
    }
    this.keep(chunk.subarray(start));
  }

  /** The stream ended: a last line without a newline still counts. */
  end(): void {
    if (this.kept > 0 || this.dropped > 0) this.flush();
  }

  private keep(bytes: Buffer): void {
    const room = Math.max(0, (this.options.max ?? MAX_LINE_BYTES) - this.kept);
    if (bytes.length > room) this.dropped += bytes.length - room;
    const taken = bytes.subarray(0, room);
    if (taken.length === 0) return;
    // A copy: the chunk's memory is not held on to by a part of it.
    this.parts.push(Buffer.from(taken));
    this.kept += taken.length;
  }

  private flush(): void {
    const text = Buffer.concat(this.parts, this.kept).toString('utf8');
    const line = this.dropped > 0 ? `${text}… (${this.dropped} more bytes)` : text;
    this.parts.length = 0;
    this.kept = 0;
    this.dropped = 0;
    this.onLine(line);
  }
}
