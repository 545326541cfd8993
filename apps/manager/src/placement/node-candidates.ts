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
    const measured = workers.map(({ name }) => ({ name, capacity: this.capacities.of(name) }));
    const oldest = Math.min(...measured.flatMap(({ capacity }) => (capacity ? [capacity.at.getTime()] : [])));
    // What was placed since the oldest report (a minute's worth at most), counted per node in memory.
    const since = Number.isFinite(oldest) ? new Date(oldest) : new Date();
    const [projects, containers] = await Promise.all([
      this.readModels
        .collection<ProjectView>(PROJECTS)
        .find({ 'placement.at': { $gt: since } }, { projection: { placement: 1 } })
        .toArray(),
      this.readModels
        .collection<ContainerView>(CONTAINERS)
        .find(
          { node: { $ne: null }, requestedAt: { $gt: since } },
          { projection: { node: 1, requestedAt: 1 } },
        )
        .toArray(),
    ]);
    const placed = [
      ...projects.flatMap(({ placement }) => (placement ? [{ node: placement.node, at: placement.at }] : [])),
      ...containers.map(({ node, requestedAt }) => ({ node, at: requestedAt })),
    ];
    return workers.map(({ name, labels, draining }) => {
      const capacity = this.capacities.of(name);
      const placedSince = capacity
        ? placed.filter(({ node, at }) => node === name && at > capacity.at).length
        : 0;
      return { name, labels, draining, connected: this.connections.connected(name), capacity, placedSince };
    });
  }
}
