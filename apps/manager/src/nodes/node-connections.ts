import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { IcpClient, Identity } from '@testausdeploy/icp';
import { ManagerConfig } from '../config/manager-config';

/**
 * The Manager's sessions to its Worker and Guardian. The Manager always dials out; a node never connects in.
 * (The node registry issue replaces the two configured nodes with enrolled ones.)
 */
@Injectable()
export class NodeConnections implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly worker: IcpClient;
  readonly guardian: IcpClient;

  constructor(config: ManagerConfig, identity: Identity) {
    this.worker = new IcpClient({
      url: config.WORKER_URL,
      identity,
      serverFingerprint: config.WORKER_FINGERPRINT,
      logger: new Logger('WorkerConnection'),
    });
    this.guardian = new IcpClient({
      url: config.GUARDIAN_URL,
      identity,
      serverFingerprint: config.GUARDIAN_FINGERPRINT,
      logger: new Logger('GuardianConnection'),
    });
  }

  onApplicationBootstrap(): void {
    this.worker.start();
    this.guardian.start();
  }

  onApplicationShutdown(): void {
    this.worker.stop();
    this.guardian.stop();
  }
}
