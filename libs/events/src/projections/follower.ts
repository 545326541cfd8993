import { Logger } from '@nestjs/common';
import { StoredEvent } from '../stored-event';
import { View } from './projection';
import { ViewBuffer } from './view-buffer';

/** Keeps one read model up to date: a loop of steps, each applying the next events after its checkpoint. */
export class Follower {
  /** Events this process just committed, handed over directly so the follower need not read them back. */
  private offered: StoredEvent[] = [];
  private running = false;
  private stopped: Promise<void> = Promise.resolve();
  private wake: (() => void) | null = null;
  /** Set by an offer that arrives while a step runs, so the loop does not then sleep past it. */
  private signalled = false;

  constructor(
    public buffer: ViewBuffer<View>,
    public position: number,
    private readonly step: (follower: Follower) => Promise<number>,
    private readonly pollMs: number,
  ) {}

  get name(): string {
    return this.buffer.projection.name;
  }

  start(): void {
    this.running = true;
    this.stopped = this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.stopped;
  }

  offer(events: StoredEvent[]): void {
    const next = (this.offered[this.offered.length - 1]?.position ?? this.position) + 1;
    // Only a run that continues exactly where this follower is can be used; anything else is read from the log.
    this.offered = events[0]?.position === next ? [...this.offered, ...events] : [];
    this.signalled = true;
    this.wake?.();
  }

  /** Offered events that continue from the checkpoint, at most `limit`. */
  takeOffered(limit: number): StoredEvent[] {
    this.offered = this.offered.filter((event) => event.position > this.position);
    if (this.offered[0]?.position !== this.position + 1) {
      this.offered = [];
      return [];
    }
    return this.offered.slice(0, limit);
  }

  private async loop(): Promise<void> {
    while (this.running) {
      this.signalled = false;
      const applied = await this.step(this).catch((error: Error) => {
        new Logger('ProjectionRunner').error(`${this.name}: ${error.message}`);
        return 0;
      });
      if (applied === 0 && this.running && !this.signalled) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.pollMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = null;
      }
    }
  }
}
