import { Injectable } from '@nestjs/common';
import { StoredEvent } from '@testausdeploy/events';
import { ContainerView } from '../containers/projections/container-view';
import { CONTAINERS } from '../containers/projections/containers.projection';
import { DeploymentView } from '../deployments/projections/deployment-view';
import { DEPLOYMENTS } from '../deployments/projections/deployments.projection';
import { ReadModels } from '../events/read-models';
import { NodeDirectory } from '../nodes/node-directory';
import { ProjectView } from '../projects/projections/project-view';
import { PROJECTS } from '../projects/projections/projects.projection';

type Data = {
  deploymentId?: string;
  org?: string;
  repo?: string;
  name?: string;
  node?: string;
  from?: string;
  to?: string;
};

/**
 * The Guardians whose firewall or routes an event can change: those of the node its project or container is
 * placed on (both nodes of a move), so that a deployment on one node sends nothing to the others. Null when
 * that is not known (a project removed) or is every node (routes changed, which can pass a host name to a
 * project elsewhere): then every Guardian is sent its state.
 */
@Injectable()
export class AffectedGuardians {
  constructor(
    private readonly readModels: ReadModels,
    private readonly directory: NodeDirectory,
  ) {}

  async of(event: StoredEvent): Promise<string[] | null> {
    const nodes = await this.nodesOf(event.type, event.data as Data);
    if (!nodes) return null;
    const guardians = await Promise.all(
      nodes.map(async (node) => (await this.directory.find(node))?.guardian),
    );
    return guardians.every(Boolean) ? [...new Set(guardians as string[])] : null;
  }

  private async nodesOf(type: string, data: Data): Promise<string[] | null> {
    // Host names are claimed across nodes: a name one project gives up can go to a project on another node.
    if (type === 'RoutesChanged') return null;
    if ((type === 'ProjectMoved' || type === 'ContainerMoved') && data.from && data.to)
      return [data.from, data.to];
    if (type === 'ProjectPlaced' || type === 'ContainerPlaced') return data.node ? [data.node] : null;
    if (type.startsWith('Container') && data.name) {
      const view = await this.readModels.collection<ContainerView>(CONTAINERS).findOne({ _id: data.name });
      return view?.node ? [view.node] : null;
    }
    let { org, repo } = data;
    if (data.deploymentId) {
      const view = await this.readModels
        .collection<DeploymentView>(DEPLOYMENTS)
        .findOne({ _id: data.deploymentId }, { projection: { org: 1, repo: 1 } });
      ({ org, repo } = view ?? {});
    }
    if (!org || !repo) return null;
    const project = await this.readModels
      .collection<ProjectView>(PROJECTS)
      .findOne({ _id: `${org}/${repo}` });
    return project?.placement ? [project.placement.node] : null;
  }
}
