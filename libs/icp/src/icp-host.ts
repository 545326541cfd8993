import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Identity } from './identity';
import { IcpServer, IcpServerOptions } from './icp-server';

export interface IcpHostOptions extends Omit<IcpServerOptions, 'logger'> {
  /** Reads the service's identity again (after `main.js rotate-key`): done on SIGHUP. */
  reloadIdentity: () => Promise<Identity>;
}

/**
 * Runs an ICP server for the lifetime of a Nest application context (the Worker's and the Guardian's), and
 * picks up a rotated key on SIGHUP (`systemctl reload`) without dropping the session.
 */
export class IcpHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly server: IcpServer;
  private readonly logger = new Logger(IcpHost.name);
  private readonly onHangUp = () => void this.reload();

  constructor(private readonly options: IcpHostOptions) {
    this.server = new IcpServer({ ...options, logger: this.logger });
  }

  async onApplicationBootstrap(): Promise<void> {
    const address = await this.server.listen();
    process.on('SIGHUP', this.onHangUp);
    this.logger.log(
      `ICP listening on wss://${address.address}:${address.port} (fingerprint ${this.options.identity.fingerprint})`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    process.off('SIGHUP', this.onHangUp);
    await this.server.close();
  }

  private async reload(): Promise<void> {
    try {
      const identity = await this.options.reloadIdentity();
      this.server.useIdentity(identity);
      this.logger.log(`ICP key reloaded: fingerprint ${identity.fingerprint}`);
    } catch (error) {
      this.logger.error(`ICP key not reloaded, the previous one stays: ${(error as Error).message}`);
    }
  }
}
