import type { Response } from 'express';

/**
 * Bytes a slow reader may leave unread before its stream is ended: it reconnects with `Last-Event-ID` and
 * continues from the log, so ending costs it nothing and keeps what the Manager holds for it bounded.
 */
const MAX_UNREAD_BYTES = 1024 * 1024;

/** How long a reader may leave what was sent unread before its stream is ended. */
const DRAIN_MS = 30_000;

/** What the client waits before reconnecting when the connection drops (its own backoff may wait longer). */
const RETRY_MS = 2000;

/** One `text/event-stream` answer: frames of `id`, `event` and one line of JSON `data`, and comments. */
export class EventStream {
  constructor(
    private readonly response: Response,
    private readonly signal: AbortSignal,
  ) {}

  open(): void {
    this.response.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      // Reverse proxies that buffer answers (nginx) would hold the events back.
      'X-Accel-Buffering': 'no',
    });
    this.response.flushHeaders();
    this.response.write(`retry: ${RETRY_MS}\n\n`);
  }

  /** Queues one frame; JSON has no raw line breaks, so `data` is always a single line. */
  /** Whether the reader left so much unread that the stream must end. */
  get overflowing(): boolean {
    return this.response.writableLength > MAX_UNREAD_BYTES;
  }

  send(frame: { id?: number; event?: string; data: unknown }): void {
    const id = frame.id === undefined ? '' : `id: ${frame.id}\n`;
    const event = frame.event === undefined ? '' : `event: ${frame.event}\n`;
    this.response.write(`${id}${event}data: ${JSON.stringify(frame.data)}\n\n`);
  }

  /** A comment line: keeps the connection (and proxies on the way) from timing out. */
  comment(text: string): void {
    this.response.write(`: ${text}\n\n`);
  }

  /**
   * Waits until what was queued is handed to the network; false when the reader went away, left 1 MiB unread or
   * read nothing for 30 s (then the stream must end).
   */
  async flushed(): Promise<boolean> {
    const response = this.response;
    if (this.overflowing || response.destroyed) return false;
    if (!response.writableNeedDrain) return !this.signal.aborted;
    const drained = await new Promise<boolean>((resolve) => {
      const done = (ok: boolean) => () => {
        clearTimeout(timer);
        response.off('drain', onDrain);
        response.off('close', onGone);
        this.signal.removeEventListener('abort', onGone);
        resolve(ok);
      };
      const onDrain = done(true);
      const onGone = done(false);
      const timer = setTimeout(onGone, DRAIN_MS);
      response.on('drain', onDrain);
      response.on('close', onGone);
      this.signal.addEventListener('abort', onGone);
    });
    return drained && !this.signal.aborted && !response.destroyed;
  }

  end(): void {
    if (!this.response.writableEnded) this.response.end();
  }
}
