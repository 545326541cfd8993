import { Injectable } from '@nestjs/common';
import { IndexDescription } from 'mongodb';
import { ContainerEvent, isContainerEvent } from '@testausdeploy/domain';
import { StoredEvent, Views } from '@testausdeploy/events';
import { RegisteredProjection } from '../../events/registered-projection';
import { ContainerView } from './container-view';

export const CONTAINERS = 'containers';

/** How each event after the request changes a view. */
function change(view: ContainerView, event: ContainerEvent): Partial<ContainerView> {
  switch (event.type) {
    case 'ContainerPlaced':
      return { node: event.data.node, placement: { rule: event.data.rule, reason: event.data.reason } };
    case 'ContainerMoveStarted':
      return { moving: { from: event.data.from, to: event.data.to } };
    case 'ContainerMoveAbandoned':
      return { moving: null };
    case 'ContainerMoved': {
      const { to, ipv4, reason } = event.data;
      return { node: to, ipv4, placement: { rule: 'named', reason }, moving: null, leftOn: event.data.from };
    }
    case 'ContainerMoveFinished':
      return { leftOn: null };
    case 'ContainerCreated':
      return { status: 'running', ipv4: event.data.ipv4 };
    case 'ContainerCreationFailed':
      return { status: 'failed', reason: event.data.reason };
    case 'ContainerActed':
      return { status: event.data.action === 'stop' ? 'stopped' : 'running' };
    case 'ContainerLimitsChanged':
      return { limits: event.data.limits };
    case 'ContainerSshKeysReplaced':
      return { sshKeys: event.data.sshKeys };
    case 'ContainerDeleted':
      return { status: 'deleted', ipv4: null, snapshots: [] };
    case 'ContainerScheduleSet':
      return { schedule: event.data.schedule };
    case 'SnapshotCreated':
      return {
        snapshots: [...view.snapshots, { snapshot: event.data.snapshot, createdAt: event.data.createdAt }],
      };
    case 'SnapshotDeleted':
      return { snapshots: view.snapshots.filter(({ snapshot }) => snapshot !== event.data.snapshot) };
    case 'BackupExported': {
      const { id, backup, file, bytes, createdAt } = event.data;
      const { incarnation, owner, ownerId, node } = view;
      return {
        backups: [...view.backups, { id, backup, incarnation, owner, ownerId, file, bytes, createdAt, node }],
      };
    }
    case 'BackupDeleted':
      return { backups: view.backups.filter(({ id }) => id !== event.data.id) };
    default:
      return {};
  }
}

/** Members' containers as they stand: owner, status, address, SSH port, limits, snapshots, backups, schedule. */
@Injectable()
export class ContainersProjection extends RegisteredProjection<ContainerView> {
  readonly name = CONTAINERS;
  readonly version = 5;
  readonly indexes: IndexDescription[] = [{ key: { ownerId: 1 } }, { key: { node: 1 } }];

  async apply(event: StoredEvent, views: Views<ContainerView>): Promise<void> {
    if (!isContainerEvent(event)) return;
    const { position } = event;
    const at = event.metadata.time;
    const view = await views.get(event.data.name);
    // An event seen again after a crash is not newer than what the view already shows.
    if (view && view.position >= position) return;
    if (event.type === 'ContainerRequested') {
      const { name, owner, ownerId, incarnation, sshPort, restoredFrom, ...spec } = event.data;
      views.put({
        _id: name,
        name,
        owner,
        ownerId,
        incarnation,
        ...spec,
        status: 'creating',
        reason: null,
        ipv4: null,
        sshPort,
        snapshots: [],
        backups: view?.backups ?? [],
        schedule: { snapshots: null, backups: null },
        restoredFrom: restoredFrom ?? null,
        node: null,
        placement: null,
        moving: null,
        leftOn: view?.leftOn ?? null,
        requestedAt: at,
        updatedAt: at,
        position,
      });
      return;
    }
    if (view) views.put({ ...view, ...change(view, event), updatedAt: at, position });
  }
}
