import { Injectable } from '@nestjs/common';
import { DeploymentSourceProps } from '@testausdeploy/domain';
import { ReadModels } from '../events/read-models';
import { ProjectAccess } from '../projects/project-access';
import { DeploymentView } from './projections/deployment-view';
import { DEPLOYMENTS } from './projections/deployments.projection';

/** The newest earlier attempt of a source that succeeded: what an unhealthy deployment is rolled back to. */
@Injectable()
export class PreviousSuccess {
  constructor(
    private readonly readModels: ReadModels,
    private readonly access: ProjectAccess,
  ) {}

  async of(source: DeploymentSourceProps, except: string): Promise<DeploymentView | null> {
    const { org, repo, branch, composePath } = source;
    const views = await this.readModels
      .collection<DeploymentView>(DEPLOYMENTS)
      .find({ org, repo }, { projection: { _id: 0 } })
      .sort({ requestedAt: -1 })
      .toArray();
    const found = views.find(
      (view) =>
        view.id !== except &&
        view.branch === branch &&
        view.composePath === composePath &&
        view.commit !== null &&
        (view.status === 'succeeded' || view.status === 'stopped'),
    );
    // One of a project removed since is no one's to go back to: its data and configuration are gone.
    return found && !(await this.access.endedWithItsProject(found)) ? found : null;
  }
}
