import { Logger } from '@nestjs/common';
import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { NodeSessionOpened } from '../nodes/node-session-opened.event';
import { ContainerCreation } from './container-creation';
import { ContainerDirectory } from './container-directory';
import { ContainerRepository } from './container.repository';
import { WorkerContainers } from './worker-containers';

/**
 * A container left `creating` by a Manager that stopped half way ends in a definite state once a Worker is
 * connected: `running` if the Worker has it, `failed` if not.
 * Each container is settled when the Worker of its own node connects. Creations this process is running are left alone.
 */
@EventsHandler(NodeSessionOpened)
export class UnfinishedContainers implements IEventHandler<NodeSessionOpened> {
  private readonly logger = new Logger(UnfinishedContainers.name);

  constructor(
    private readonly directory: ContainerDirectory,
    private readonly repository: ContainerRepository,
    private readonly creation: ContainerCreation,
    private readonly worker: WorkerContainers,
  ) {}

  handle({ kind, name }: NodeSessionOpened): void {
    if (kind !== 'worker') return;
    void this.settle(name).catch((error: Error) =>
      this.logger.error(`settling unfinished containers: ${error.message}`),
    );
  }

  /** Settles the unfinished containers on `node` (and those requested before placements were recorded). */
  async settle(node: string): Promise<void> {
    const unfinished = (await this.directory.live()).filter(
      (view) =>
        view.status === 'creating' && !this.creation.running(view.name) && (view.node ?? node) === node,
    );
    for (const { name } of unfinished) {
      const container = await this.repository.load(name);
      const info = await this.worker.request('showContainer', { name }).catch(() => null);
      if (info) container.created(info.ipv4);
      else container.creationFailed('the Manager stopped while the container was being created');
      await this.repository.save(container, 'manager');
    }
  }
}
