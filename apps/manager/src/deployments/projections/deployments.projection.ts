import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Connection, Model } from 'mongoose';
import { DeploymentEvent } from '@testausdeploy/domain';
import { StoredEvent } from '@testausdeploy/events';
import { DATABASE } from '../../database/database.module';
import { EventRecorder } from '../../events/event-recorder';
import { Projection } from '../../events/projection';
import { DeploymentView, deploymentViewSchema } from './deployment-view';

@Injectable()
export class DeploymentsProjection implements Projection, OnModuleInit {
  readonly views: Model<DeploymentView>;

  constructor(
    @Inject(DATABASE) connection: Connection,
    private readonly recorder: EventRecorder,
  ) {
    this.views = connection.model<DeploymentView>('DeploymentView', deploymentViewSchema, 'deployments');
  }

  async onModuleInit(): Promise<void> {
    await this.views.createIndexes();
    this.recorder.register(this);
  }

  async project(stored: StoredEvent): Promise<void> {
    const event = stored as unknown as DeploymentEvent & StoredEvent;
    const at = stored.metadata.time;
    switch (event.type) {
      case 'DeploymentRequested': {
        const { deploymentId, requestedBy, ...source } = event.data;
        await this.views.updateOne(
          { id: deploymentId },
          {
            $setOnInsert: {
              ...source,
              id: deploymentId,
              status: 'requested',
              commit: null,
              reason: null,
              containers: [],
              requestedBy,
              requestedAt: at,
              updatedAt: at,
              position: stored.position,
            },
          },
          { upsert: true },
        );
        return;
      }
      case 'DeploymentSucceeded':
        return this.advance(event.data.deploymentId, stored.position, {
          status: 'succeeded',
          commit: event.data.commit,
          containers: event.data.containers,
          updatedAt: at,
        });
      case 'DeploymentFailed':
        return this.advance(event.data.deploymentId, stored.position, {
          status: 'failed',
          reason: event.data.reason,
          updatedAt: at,
        });
    }
  }

  /** Applies a change only if this event is newer than the last one applied to the view. */
  private async advance(id: string, position: number, change: Partial<DeploymentView>): Promise<void> {
    await this.views.updateOne({ id, position: { $lt: position } }, { $set: { ...change, position } });
  }
}
