import { Injectable } from '@nestjs/common';
import { ProjectRoutes } from '@testausdeploy/domain';
import { EventRecorder } from '../events/event-recorder';

/** The services a deployment puts on the apps network: its project's routes as they are when it runs. */
@Injectable()
export class RoutedServices {
  constructor(private readonly recorder: EventRecorder) {}

  async of(org: string, repo: string): Promise<{ service: string; port: number }[]> {
    const routes = await this.recorder.load(new ProjectRoutes(org, repo), ProjectRoutes.streamId(org, repo));
    return routes.routes.map(({ service, port }) => ({ service, port }));
  }
}
