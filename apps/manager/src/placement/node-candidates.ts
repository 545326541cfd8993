import { Injectable } from '@nestjs/common';
import { NodeCandidate } from '@testausdeploy/domain';
import { ManagerConfig } from '../config/manager-config';
import { ContainerView } from '../containers/projections/container-view';
import { CONTAINERS } from '../containers/projections/containers.projection';
import { ReadModels } from '../events/read-models';
import { NodeCapacities } from '../nodes/node-capacities';
import { NodeConnections } from '../nodes/node-connections';
import { NodeDirectory } from '../nodes/node-directory';
import { ProjectView } from '../projects/projections/project-view';
import { PROJECTS } from '../projects/projections/projects.projection';

/** The enrolled Workers as placement sees them: registry, session, last capacity report and what came since. */
@Injectable()
export class NodeCandidates {
  constructor(
    private readonly directory: NodeDirectory,
    private readonly connections: NodeConnections,
    private readonly capacities: NodeCapacities,
    private readonly readModels: ReadModels,
    private readonly config: ManagerConfig,
  ) {}

  /** What one new workload is taken to need of a node's memory until its next report. */
  get estimateBytes(): number {
    return this.config.PLACEMENT_ESTIMATE_MIB * 1024 * 1024;
  }

  async all(): Promise<NodeCandidate[]> {
    const workers = (await this.directory.all()).filter((view) => view.kind === 'worker');
    const projects = this.readModels.collection<ProjectView>(PROJECTS);
    const containers = this.readModels.collection<ContainerView>(CONTAINERS);
    const since = async (name: string, at: Date) =>
      (await projects.countDocuments({ 'placement.node': name, 'placement.at': { $gt: at } })) +
      (await containers.countDocuments({ node: name, requestedAt: { $gt: at } }));
    return Promise.all(
      workers.map(async ({ name, labels, draining }) => {
        const capacity = this.capacities.of(name);
        const placedSince = capacity ? await since(name, capacity.at) : 0;
        return { name, labels, draining, connected: this.connections.connected(name), capacity, placedSince };
      }),
    );
  }
}
