import { Injectable } from '@nestjs/common';
import { ContainerView } from '../containers/projections/container-view';
import { CONTAINERS } from '../containers/projections/containers.projection';
import { ReadModels } from '../events/read-models';
import { ProjectView } from '../projects/projections/project-view';
import { PROJECTS } from '../projects/projections/projects.projection';

/** What is placed on a Worker: its projects (`org/repo`) and members' containers, each by name. */
export interface Workloads {
  projects: string[];
  containers: string[];
}

/** What runs on each node, from the read models: what the Nodes page lists, and what keeps a node enrolled. */
@Injectable()
export class NodeWorkloads {
  constructor(private readonly readModels: ReadModels) {}

  async on(nodes: string[]): Promise<Map<string, Workloads>> {
    await this.readModels.started;
    const [projects, containers] = await Promise.all([
      this.readModels
        .collection<ProjectView>(PROJECTS)
        .find({ 'placement.node': { $in: nodes } }, { projection: { placement: 1 } })
        .sort({ _id: 1 })
        .toArray(),
      this.readModels
        .collection<ContainerView>(CONTAINERS)
        .find({ node: { $in: nodes }, status: { $ne: 'deleted' } }, { projection: { node: 1 } })
        .sort({ _id: 1 })
        .toArray(),
    ]);
    return new Map(
      nodes.map((node) => [
        node,
        {
          projects: projects.filter(({ placement }) => placement?.node === node).map(({ _id }) => _id),
          containers: containers.filter((view) => view.node === node).map(({ _id }) => _id),
        },
      ]),
    );
  }
}
