import { AggregateRoot } from '../aggregate-root';
import { Conflict, Forbidden, InvalidInput, NotFound } from '../errors';
import type { Placement } from '../placement/node-choice';
import { ContainerEvent, ContainerRequested, ContainerSchedule, ContainerSpec } from './container.events';

export type ContainerStatus = 'creating' | 'running' | 'stopped' | 'failed' | 'deleted';

/** Who acts: a member (by id) acts only on what they own, an admin on all. */
export interface ContainerActor {
  actor: string;
  memberId: string | null;
  admin: boolean;
}

/** A backup as its container's stream knows it: whose it is and of which incarnation, whatever came after. */
export interface BackupRecord {
  id: string;
  /** Its file's name on the Worker. */
  key: string;
  backup: string;
  incarnation: string;
  owner: string;
  ownerId: string;
  spec: ContainerSpec;
  /** The Worker whose backup directory holds its file; null for one made before placements were recorded. */
  node: string | null;
}

/** A move under way: recorded before the Workers act, so that one cut short can be undone. */
export interface MoveUnderWay {
  from: string;
  to: string;
  /** The move's backup, on both nodes. */
  backup: string;
  /** Whether it ran before the move stopped it. */
  running: boolean;
}

interface State {
  status: ContainerStatus;
  moving: MoveUnderWay | null;
  /** A move's old node, where its stopped copy and backups are still to be removed. */
  leftOn: Pick<MoveUnderWay, 'from' | 'backup'> | null;
  owner: string;
  ownerId: string;
  incarnation: string;
  spec: ContainerSpec;
  /** The Worker it runs on; null for one requested before placements were recorded. */
  node: string | null;
  snapshots: Set<string>;
  /** Backups of every incarnation of the name, by id: they outlive the container and belong to their owner. */
  backups: Map<string, BackupRecord>;
}

/**
 * A member's LXD container, one stream per name; it decides what may happen to it and in which order. The name
 * is not an identity: each request of it starts a new incarnation, and only the owner of the current one (or an
 * admin) may act on it. Whoever may not gets the answer a name never used gets, so nothing can be learnt about
 * another member's container.
 */
export class MemberContainer extends AggregateRoot<ContainerEvent> {
  private state: State | null = null;

  constructor(readonly name: string) {
    super();
  }

  static streamId(name: string): string {
    return `container-${name}`;
  }

  get status(): ContainerStatus | null {
    return this.state?.status ?? null;
  }

  get owner(): string {
    return this.existing().owner;
  }

  get ownerId(): string {
    return this.existing().ownerId;
  }

  /** Which container of this name it is: a new id each time the name is requested. */
  get incarnation(): string {
    return this.existing().incarnation;
  }

  get spec(): ContainerSpec {
    return this.existing().spec;
  }

  /** Refuses anyone but the owner and admins, as if the container did not exist. */
  ensureAllowed(who: ContainerActor): void {
    const { ownerId } = this.existing(); // also for an admin: a container that never was is not there
    if (!who.admin && who.memberId !== ownerId) throw this.missing();
  }

  /** Refuses changes to a container that is being created, failed or deleted. */
  ensureActive(): void {
    this.ensureStatus(['running', 'stopped']);
  }

  request(data: Omit<ContainerRequested['data'], 'name'>): void {
    if (this.state && this.state.status !== 'failed' && this.state.status !== 'deleted') {
      throw new Conflict(`container "${this.name}" already exists`);
    }
    if (this.state?.leftOn) {
      throw new Conflict(
        `the name "${this.name}" is still taken on ${this.state.leftOn.from}, by a moved container's old copy`,
      );
    }
    this.record({ type: 'ContainerRequested', data: { name: this.name, ...data } });
  }

  /** The node it runs on; null before it is placed (and for one requested before placements were recorded). */
  get node(): string | null {
    return this.existing().node;
  }

  /** Gives the container its node, once: when it is being created, or one made before placements were recorded. */
  place({ node, rule, reason }: Placement): void {
    this.ensureStatus(['creating', 'running', 'stopped']);
    if (this.existing().node)
      throw new Conflict(`container "${this.name}" runs on ${this.existing().node} already`);
    this.record({ type: 'ContainerPlaced', data: { name: this.name, node, rule, reason } });
  }

  /** Refuses a move to where it runs, or of a container that is not running or stopped, or has no node yet. */
  ensureMovable(to: string): string {
    this.ensureActive();
    const from = this.existing().node;
    if (!from) throw new Conflict(`container "${this.name}" runs on no known node: it cannot be moved`);
    if (from === to) throw new Conflict(`container "${this.name}" runs on ${to} already`);
    const { leftOn } = this.existing();
    if (leftOn) {
      throw new Conflict(`container "${this.name}" has an old copy on ${leftOn.from} still to be removed`);
    }
    return from;
  }

  /** The move under way, if one is. */
  get moving(): MoveUnderWay | null {
    return this.existing().moving;
  }

  startMove(to: string, backup: string): MoveUnderWay {
    const from = this.ensureMovable(to);
    const move = { from, to, backup, running: this.existing().status === 'running' };
    this.record({ type: 'ContainerMoveStarted', data: { name: this.name, ...move } });
    return move;
  }

  /** It runs on the move's node now, at `ipv4` there. */
  moved(ipv4: string | null, reason: string): void {
    const { from, to } = this.underWay();
    this.record({ type: 'ContainerMoved', data: { name: this.name, from, to, ipv4, reason } });
  }

  /** Where a move's old copy is still to be removed, if anywhere. */
  get leftOn(): State['leftOn'] {
    return this.state?.leftOn ?? null;
  }

  moveFinished(): void {
    const { leftOn } = this.existing();
    if (!leftOn) throw new Conflict(`container "${this.name}" has no old copy to remove`);
    this.record({ type: 'ContainerMoveFinished', data: { name: this.name, from: leftOn.from } });
  }

  moveAbandoned(reason: string): void {
    const { to } = this.underWay();
    this.record({ type: 'ContainerMoveAbandoned', data: { name: this.name, to, reason } });
  }

  created(ipv4: string | null): void {
    this.ensureStatus(['creating']);
    this.record({ type: 'ContainerCreated', data: { name: this.name, ipv4 } });
  }

  creationFailed(reason: string): void {
    this.ensureStatus(['creating']);
    this.record({ type: 'ContainerCreationFailed', data: { name: this.name, reason } });
  }

  act(action: 'start' | 'stop' | 'restart'): void {
    this.ensureStatus(['running', 'stopped']);
    this.record({ type: 'ContainerActed', data: { name: this.name, action } });
  }

  changeLimits(limits: ContainerSpec['limits'], restarted: boolean): void {
    this.ensureStatus(['running', 'stopped']);
    this.record({ type: 'ContainerLimitsChanged', data: { name: this.name, limits, restarted } });
  }

  replaceSshKeys(sshKeys: string[]): void {
    this.ensureStatus(['running', 'stopped']);
    this.record({ type: 'ContainerSshKeysReplaced', data: { name: this.name, sshKeys } });
  }

  /** Deleting takes the name typed again, so a slip of the wrong name cannot delete a container. */
  ensureDeletable(confirm: string | undefined): void {
    this.ensureStatus(['running', 'stopped']);
    if (confirm !== this.name) {
      throw new InvalidInput(`to delete container "${this.name}", send { "confirm": "${this.name}" }`);
    }
  }

  delete(): void {
    this.record({ type: 'ContainerDeleted', data: { name: this.name } });
  }

  setSchedule(schedule: ContainerSchedule): void {
    this.ensureStatus(['running', 'stopped']);
    this.record({ type: 'ContainerScheduleSet', data: { name: this.name, schedule } });
  }

  /** A new snapshot's name is free, and the container keeps fewer than `max`. */
  ensureNewSnapshot(snapshot: string, max: number): void {
    this.ensureStatus(['running', 'stopped']);
    const { snapshots } = this.existing();
    if (snapshots.has(snapshot)) throw new Conflict(`snapshot "${snapshot}" already exists`);
    if (snapshots.size >= max) {
      throw new Forbidden(
        `container "${this.name}" has ${snapshots.size} snapshots, the most allowed (${max}); delete one first`,
      );
    }
  }

  snapshotCreated(snapshot: string, createdAt: string): void {
    this.record({ type: 'SnapshotCreated', data: { name: this.name, snapshot, createdAt } });
  }

  ensureSnapshot(snapshot: string): void {
    this.ensureStatus(['running', 'stopped']);
    if (!this.existing().snapshots.has(snapshot)) throw new NotFound(`snapshot "${snapshot}" does not exist`);
  }

  snapshotRestored(snapshot: string): void {
    this.record({ type: 'SnapshotRestored', data: { name: this.name, snapshot } });
  }

  snapshotDeleted(snapshot: string): void {
    this.record({ type: 'SnapshotDeleted', data: { name: this.name, snapshot } });
  }

  /** A new backup's name is free in this incarnation, which has fewer than `max`. */
  ensureNewBackup(backup: string, max: number): void {
    this.ensureStatus(['running', 'stopped']);
    const current = this.currentBackups();
    if (current.some((record) => record.backup === backup))
      throw new Conflict(`backup "${backup}" already exists`);
    if (current.length >= max) {
      throw new Forbidden(
        `container "${this.name}" has ${current.length} backups, the most allowed (${max}); delete one first`,
      );
    }
  }

  backupExported(data: { id: string; backup: string; file: string; bytes: number; createdAt: string }): void {
    this.record({ type: 'BackupExported', data: { name: this.name, ...data } });
  }

  /** A backup of the current incarnation by its name; it outlives the container, so this works once deleted. */
  backup(backup: string): BackupRecord {
    const found = this.currentBackups().find((record) => record.backup === backup);
    if (!found) throw new NotFound(`backup "${backup}" does not exist`);
    return found;
  }

  /** A backup of any incarnation by its id: only for its owner or an admin, as if it did not exist otherwise. */
  backupById(id: string, who: ContainerActor): BackupRecord {
    const found = this.state?.backups.get(id);
    if (!found || (!who.admin && who.memberId !== found.ownerId)) {
      throw new NotFound(`backup "${id}" does not exist`);
    }
    return found;
  }

  backupDeleted({ id, backup }: BackupRecord): void {
    this.record({ type: 'BackupDeleted', data: { name: this.name, id, backup } });
  }

  protected apply(event: ContainerEvent): void {
    if (event.type === 'ContainerRequested') {
      const { owner, ownerId, incarnation, image, limits, user, sshKeys, nesting } = event.data;
      this.state = {
        status: 'creating',
        owner,
        ownerId,
        incarnation,
        spec: { image, limits, user, sshKeys, nesting },
        node: null,
        moving: null,
        leftOn: this.state?.leftOn ?? null,
        snapshots: new Set(),
        backups: this.state?.backups ?? new Map(),
      };
      return;
    }
    const state = this.state;
    if (!state) return;
    switch (event.type) {
      case 'ContainerPlaced':
        state.node = event.data.node;
        break;
      case 'ContainerMoveStarted': {
        const { from, to, backup, running } = event.data;
        state.moving = { from, to, backup, running };
        break;
      }
      case 'ContainerMoveAbandoned':
        state.moving = null;
        break;
      case 'ContainerMoved':
        state.node = event.data.to;
        state.leftOn = state.moving && { from: state.moving.from, backup: state.moving.backup };
        state.moving = null;
        break;
      case 'ContainerMoveFinished':
        state.leftOn = null;
        break;
      case 'ContainerCreated':
        state.status = 'running';
        break;
      case 'ContainerCreationFailed':
        state.status = 'failed';
        break;
      case 'ContainerActed':
        state.status = event.data.action === 'stop' ? 'stopped' : 'running';
        break;
      case 'ContainerLimitsChanged':
        state.spec = { ...state.spec, limits: event.data.limits };
        break;
      case 'ContainerSshKeysReplaced':
        state.spec = { ...state.spec, sshKeys: event.data.sshKeys };
        break;
      case 'ContainerDeleted':
        state.status = 'deleted';
        state.snapshots.clear();
        break;
      case 'SnapshotCreated':
        state.snapshots.add(event.data.snapshot);
        break;
      case 'SnapshotDeleted':
        state.snapshots.delete(event.data.snapshot);
        break;
      case 'BackupExported': {
        const { id, key = id, backup } = event.data;
        const { incarnation, owner, ownerId, spec, node } = state;
        state.backups.set(id, { id, key, backup, incarnation, owner, ownerId, spec, node });
        break;
      }
      case 'BackupDeleted':
        state.backups.delete(event.data.id);
        break;
    }
  }

  private existing(): State {
    if (!this.state) throw this.missing();
    return this.state;
  }

  private missing(): NotFound {
    return new NotFound(`container "${this.name}" does not exist`);
  }

  private currentBackups(): BackupRecord[] {
    const { backups, incarnation, ownerId } = this.existing();
    return [...backups.values()].filter(
      (record) => record.incarnation === incarnation && record.ownerId === ownerId,
    );
  }

  private ensureStatus(allowed: ContainerStatus[]): void {
    const { status, moving } = this.existing();
    if (status === 'deleted') throw new NotFound(`container "${this.name}" was deleted`);
    if (!allowed.includes(status)) throw new Conflict(`container "${this.name}" is ${status}`);
    if (moving) throw new Conflict(`container "${this.name}" is being moved to ${moving.to}`);
  }

  private underWay(): MoveUnderWay {
    const { moving } = this.existing();
    if (!moving) throw new Conflict(`container "${this.name}" is not being moved`);
    return moving;
  }
}
