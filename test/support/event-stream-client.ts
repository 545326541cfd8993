import { setTimeout as sleep } from 'node:timers/promises';

/** One server-sent event as a browser's EventSource would dispatch it. */
export interface Frame {
  id?: string;
  event: string;
  data: unknown;
}

/**
 * Reads a `text/event-stream` answer frame by frame, as EventSource parses it (id, event and data fields, blank
 * line ends a frame, lines starting with ':' are comments), for tests of `GET /events`.
 */
export class EventStreamClient {
  readonly frames: Frame[] = [];
  /** When each frame arrived (`Date.now()`), index by index with `frames`. */
  readonly arrivals: number[] = [];
  ended = false;
  private readonly abort = new AbortController();

  private constructor(readonly status: number) {}

  static async open(url: string, headers: Record<string, string>): Promise<EventStreamClient> {
    const abort = new AbortController();
    const response = await fetch(url, { headers, signal: abort.signal });
    const client = new EventStreamClient(response.status);
    client.abort.signal.addEventListener('abort', () => abort.abort());
    if (response.ok && response.body) void client.read(response.body);
    else client.ended = true;
    return client;
  }

  /** Waits (at most `timeoutMs`) until `count` frames satisfy `match`; returns those. */
  async await(match: (frame: Frame) => boolean, count = 1, timeoutMs = 10_000): Promise<Frame[]> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.filter(match);
      if (found.length >= count) return found;
      if (this.ended || Date.now() > until) {
        throw new Error(`waited for ${count} frames, got ${found.length} (ended: ${this.ended})`);
      }
      await sleep(20);
    }
  }

  /** Waits until the server ends the stream. */
  async closedByServer(timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!this.ended) {
      if (Date.now() > until) throw new Error('the stream is still open');
      await sleep(20);
    }
  }

  close(): void {
    this.abort.abort();
  }

  /** The events' frames (those without an event name), as audit entries. */
  entries(): { position: number; type: string; streamId: string; data: Record<string, unknown> }[] {
    return this.frames.filter((frame) => frame.event === 'message').map((frame) => frame.data as never);
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let text = '';
    let frame: Partial<Frame> & { lines?: string[] } = {};
    try {
      for await (const chunk of body) {
        text += decoder.decode(chunk, { stream: true });
        let newline: number;
        while ((newline = text.indexOf('\n')) >= 0) {
          const line = text.slice(0, newline);
          text = text.slice(newline + 1);
          if (line === '') {
            if (frame.lines) {
              this.frames.push({
                id: frame.id,
                event: frame.event ?? 'message',
                data: JSON.parse(frame.lines.join('\n')),
              });
              this.arrivals.push(Date.now());
            }
            frame = {};
          } else if (!line.startsWith(':')) {
            const colon = line.indexOf(':');
            const field = line.slice(0, colon);
            const value = line.slice(colon + 1).replace(/^ /, '');
            if (field === 'data') frame.lines = [...(frame.lines ?? []), value];
            else if (field === 'id') frame.id = value;
            else if (field === 'event') frame.event = value;
          }
        }
      }
    } catch {
      // aborted by close()
    }
    this.ended = true;
  }
}
