import { Injectable } from '@nestjs/common';
import { Deployment, DeploymentEvent, NotFound } from '@testausdeploy/domain';
import { AppendResult, EventStore } from '@testausdeploy/events';
import { Cause, EventRecorder } from '../events/event-recorder';

/** Loads a Deployment from its stream and saves what it decided. */
@Injectable()
export class DeploymentRepository {
  constructor(
    private readonly store: EventStore,
    private readonly recorder: EventRecorder,
  ) {}

  async load(id: string): Promise<Deployment> {
    const history = await this.store.readStream(Deployment.streamId(id));
    if (history.length === 0) throw new NotFound(`deployment ${id} does not exist`);
    const deployment = new Deployment(id);
    deployment.loadFromHistory(history as unknown as DeploymentEvent[]);
    return deployment;
  }

  save(deployment: Deployment, cause: Cause): Promise<AppendResult> {
    return this.recorder.save(Deployment.streamId(deployment.id), deployment, cause);
  }
}
