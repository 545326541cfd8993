import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ContainerInfo } from '@testausdeploy/icp';
import { NodeConnections } from '../../nodes/node-connections';
import { ContainerRepository } from '../container.repository';
import { ContainerDirectory } from '../container-directory';
import { WorkerContainers } from '../worker-containers';
import { GetContainerQuery } from './get-container.query';

/**
 * One container as recorded, with `live`: its state, addresses and resource use as LXD reports them now (null
 * when the Worker cannot say, e.g. it is not connected, or the container is not running on it), and
 * `unreachableSince`: since when its node's Worker has been unreachable (null while it answers).
 */
@QueryHandler(GetContainerQuery)
export class GetContainerHandler implements IQueryHandler<GetContainerQuery> {
  constructor(
    private readonly repository: ContainerRepository,
    private readonly directory: ContainerDirectory,
    private readonly worker: WorkerContainers,
    private readonly nodes: NodeConnections,
  ) {}

  async execute({ name, caller, live: withLive }: GetContainerQuery) {
    await this.repository.loadFor(name, caller);
    const view = await this.directory.find(name);
    const active = withLive && (view?.status === 'running' || view?.status === 'stopped');
    const live: ContainerInfo | null = active
      ? await this.worker.ask('showContainer', { name }).catch(() => null)
      : null;
    const unreachableSince = view?.node ? this.nodes.unreachableSince(view.node) : null;
    return { ...view, live, unreachableSince };
  }
}
