import { Injectable } from '@nestjs/common';
import { ProjectRoutes } from '@testausdeploy/domain';
import { EventStore } from '@testausdeploy/events';
import { EventRecorder } from '../events/event-recorder';
import { ReadModels } from '../events/read-models';
import { projectKey } from '../projects/projections/project-view';
import { RoutesView } from './projections/routes-view';
import { ROUTES } from './projections/routes.projection';

/** The services a deployment puts on the apps network, and where the proxies reach the version deployed before. */
@Injectable()
export class RoutedServices {
  constructor(
    private readonly recorder: EventRecorder,
    private readonly store: EventStore,
    private readonly readModels: ReadModels,
  ) {}

  /** The project's routes as they are when a deployment runs. */
  async of(org: string, repo: string): Promise<{ service: string; port: number }[]> {
    const routes = await this.recorder.load(new ProjectRoutes(org, repo), ProjectRoutes.streamId(org, repo));
    return routes.routes.map(({ service, port }) => ({ service, port }));
  }

  /**
   * Where the proxies send the project's requests (or would, while it is stopped): the routed services' addresses
   * of the version last recorded as deployed, which the Worker takes for the one that serves. Read once the read
   * models hold every event recorded so far, so a success recorded a moment ago is in.
   */
  async routedTo(org: string, repo: string): Promise<string[]> {
    await this.readModels.waitFor(await this.store.headPosition());
    const view = await this.readModels.collection<RoutesView>(ROUTES).findOne({ _id: projectKey(org, repo) });
    return view?.kind === 'project' ? [...new Set(view.upstreams.map(({ address }) => address))] : [];
  }
}
