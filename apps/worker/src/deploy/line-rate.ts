/** Lines a second a log stream may keep up, after a burst of `BURST` (which a full tail fits in). */
export const LINES_PER_SECOND = 200;
const BURST = 1000;
/** Characters kept of one line; the rest is cut and marked with `…`. */
export const MAX_LINE_CHARS = 4000;

/**
 * Bounds what a chatty container can push through an ICP session: a token bucket of `BURST` lines refilled at
 * `LINES_PER_SECOND`. Lines over the bound are dropped and counted, and once lines may flow again (or after a
 * second, if the container fell silent), one line says how many were left out.
 */
export class LineRate {
  private tokens = BURST;
  private last = Date.now();
  private droppedSinceNotice = 0;
  private noticeTimer: NodeJS.Timeout | null = null;
  sent = 0;
  dropped = 0;

  constructor(private readonly send: (line: string) => void) {}

  offer(line: string): void {
    if (!this.take()) {
      this.dropped++;
      this.droppedSinceNotice++;
      this.noticeTimer ??= setTimeout(() => this.notice(), 1000);
      return;
    }
    if (this.droppedSinceNotice) this.notice();
    this.sent++;
    this.send(line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line);
  }

  /** Says what was dropped and stops the timer: call when the stream ends. */
  close(): void {
    if (this.droppedSinceNotice) this.notice();
    if (this.noticeTimer) clearTimeout(this.noticeTimer);
    this.noticeTimer = null;
  }

  private take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(BURST, this.tokens + ((now - this.last) / 1000) * LINES_PER_SECOND);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens--;
    return true;
  }

  private notice(): void {
    if (this.noticeTimer) clearTimeout(this.noticeTimer);
    this.noticeTimer = null;
    if (!this.droppedSinceNotice) return;
    this.send(`… ${this.droppedSinceNotice} lines dropped (over ${LINES_PER_SECOND} a second)`);
    this.droppedSinceNotice = 0;
  }
}
