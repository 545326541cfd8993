/**
 * Runs `work` every `everyMs` and whenever asked, one run at a time: asked while a run is under way, it runs once
 * more after it. A run's failure goes to `failed`, never further; stopping waits for the run under way.
 */
export class SerialLoop {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly work: () => Promise<void>,
    private readonly failed: (error: Error) => void,
  ) {}

  start(everyMs: number): void {
    this.timer = setInterval(() => this.run(), everyMs);
    this.timer.unref();
    this.run();
  }

  run(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.work()
      .catch(this.failed)
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.run();
        }
      });
  }

  /** The run under way, if one is. */
  get current(): Promise<void> | null {
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
