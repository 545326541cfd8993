import { Injectable } from '@nestjs/common';
import { isNodeEvent } from '@testausdeploy/domain';
import { StoredEvent, Views } from '@testausdeploy/events';
import { RegisteredProjection } from '../../events/registered-projection';
import { NodeView } from './node-view';

export const NODES = 'nodes';

@Injectable()
export class NodesProjection extends RegisteredProjection<NodeView> {
  readonly name = NODES;
  readonly version = 2;
  readonly indexes = [];

  async apply(event: StoredEvent, views: Views<NodeView>): Promise<void> {
    if (!isNodeEvent(event)) return;
    const { position } = event;
    const view = await views.get(event.data.name);
    // An event seen again after a crash is not newer than what the view already shows.
    if (view && view.position >= position) return;
    switch (event.type) {
      case 'NodeEnrolled':
        views.put({
          _id: event.data.name,
          ...event.data,
          enrolledBy: event.metadata.actor,
          enrolledAt: event.metadata.time,
          keyRotatedAt: null,
          labels: [],
          draining: false,
          position,
        });
        break;
      case 'NodeKeyRotated':
        if (view) {
          views.put({
            ...view,
            fingerprint: event.data.fingerprint,
            keyRotatedAt: event.metadata.time,
            position,
          });
        }
        break;
      case 'NodeRemoved':
        views.delete(event.data.name);
        break;
      case 'NodeLabelled':
        if (view) views.put({ ...view, labels: event.data.labels, position });
        break;
      case 'NodeDrainingSet':
        if (view) views.put({ ...view, draining: event.data.draining, position });
        break;
    }
  }
}
