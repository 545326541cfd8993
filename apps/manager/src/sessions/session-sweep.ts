import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ManagerConfig } from '../config/manager-config';
import { EndSessionCommand } from './commands/end-session.command';
import { SessionDirectory } from './session-directory';

/** Records the expiry of sessions nobody used after it, every SESSION_SWEEP_MS (0: never). */
@Injectable()
export class SessionSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SessionSweep.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly sessions: SessionDirectory,
    private readonly commands: CommandBus,
    private readonly config: ManagerConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.SESSION_SWEEP_MS === 0) return;
    this.timer = setInterval(() => void this.sweep(), this.config.SESSION_SWEEP_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async sweep(): Promise<void> {
    try {
      for (const { _id, actor } of await this.sessions.expired(new Date())) {
        await this.commands.execute(new EndSessionCommand(_id, 'expired', actor));
      }
    } catch (error) {
      this.logger.warn(`could not record the expiry of sessions: ${(error as Error).message}`);
    }
  }
}
