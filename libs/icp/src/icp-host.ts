import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { IcpServer, IcpServerOptions } from './icp-server';

/** Runs an ICP server for the lifetime of a Nest application context (the Worker's and the Guardian's). */
export class IcpHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly server: IcpServer;
  private readonly logger = new Logger(IcpHost.name);

  constructor(private readonly options: Omit<IcpServerOptions, 'logger'>) {
    this.server = new IcpServer({ ...options, logger: this.logger });
  }

  async onApplicationBootstrap(): Promise<void> {
    const address = await this.server.listen();
    this.logger.log(
      `ICP listening on wss://${address.address}:${address.port} (fingerprint ${this.options.identity.fingerprint})`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server.close();
  }
}
