import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EventStore } from '@testausdeploy/events';
import { ManagerConfig } from '../../config/manager-config';
import { HeadSigner } from './head-signer';

/**
 * Signs the event log's head when the Manager starts, every AUDIT_ANCHOR_INTERVAL_MS while it has moved, and on
 * shutdown. A new head is signed only if the log still holds the recorded one: a log truncated or rewritten
 * behind the Manager's back keeps failing `GET /audit/verify` instead of being vouched for again.
 */
@Injectable()
export class HeadAnchorer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(HeadAnchorer.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly config: ManagerConfig,
    private readonly store: EventStore,
    private readonly signer: HeadSigner,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.anchor();
    this.timer = setInterval(() => void this.anchor(), this.config.AUDIT_ANCHOR_INTERVAL_MS);
    this.timer.unref();
  }

  /** Before the database connection closes (on shutdown). */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.anchor();
  }

  /** Signs the current head unless it is the recorded one; one signing at a time. */
  anchor(): Promise<void> {
    this.running ??= this.signHead()
      .catch((error: Error) => this.logger.error(`the log's head was not signed: ${error.message}`))
      .finally(() => (this.running = null));
    return this.running;
  }

  private async signHead(): Promise<void> {
    const [head, recorded] = await Promise.all([this.store.head(), this.signer.recorded()]);
    if (recorded && 'unreadable' in recorded) throw new Error(recorded.unreadable);
    if (recorded) {
      if (recorded.head.position === head.position && recorded.head.hash === head.hash) return;
      if ((await this.store.hashAt(recorded.head.position)) !== recorded.head.hash) {
        throw new Error(
          `the log no longer holds the head signed at ${recorded.head.signedAt} (position ` +
            `${recorded.head.position}): see GET /audit/verify`,
        );
      }
    }
    if (head.position === 0) return;
    await this.signer.record(this.signer.sign(head));
  }
}
