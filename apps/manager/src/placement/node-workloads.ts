import { Injectable } from '@nestjs/common';
import { ContainerStatus } from '@testausdeploy/domain';
import { ContainerView } from '../containers/projections/container-view';
import { CONTAINERS } from '../containers/projections/containers.projection';
import { ReadModels } from '../events/read-models';
import { ProjectView } from '../projects/projections/project-view';
import { PROJECTS } from '../projects/projections/projects.projection';

/**
 * What is placed on a Worker: its projects (`org/repo`) and members' containers (not deleted or failed), each by
 * name, and the backups its backup directory keeps (`container/backup`), which outlive their container.
 */
/** A container that holds its place on its node. */
const LIVE: ContainerStatus[] = ['creating', 'running', 'stopped'];

export interface Workloads {
  projects: string[];
  /** Projects that moved away, whose old copy is still to be removed there. */
  leftOvers: string[];
  containers: string[];
  backups: string[];
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
        .find(
          { $or: [{ 'placement.node': { $in: nodes } }, { 'placement.leftOn': { $in: nodes } }] },
          { projection: { placement: 1 } },
        )
        .sort({ _id: 1 })
        .toArray(),
      this.readModels
        .collection<ContainerView>(CONTAINERS)
        .find(
          { $or: [{ node: { $in: nodes } }, { 'backups.node': { $in: nodes } }] },
          { projection: { node: 1, status: 1, backups: 1 } },
        )
        .sort({ _id: 1 })
        .toArray(),
    ]);
    return new Map(
      nodes.map((node) => [
        node,
        {
          projects: projects.filter(({ placement }) => placement?.node === node).map(({ _id }) => _id),
          leftOvers: projects
            .filter(({ placement }) => placement?.leftOn.includes(node))
            .map(({ _id }) => _id),
          containers: containers
            .filter((view) => view.node === node && LIVE.includes(view.status))
            .map(({ _id }) => _id),
          backups: containers.flatMap(({ _id, backups }) =>
            backups.filter((one) => one.node === node).map(({ backup }) => `${_id}/${backup}`),
          ),
        },
      ]),
    );
  }
}
