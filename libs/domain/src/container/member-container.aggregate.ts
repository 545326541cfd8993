import { AggregateRoot } from '../aggregate-root';
import { Conflict, Forbidden, InvalidInput, NotFound } from '../errors';
import { ContainerEvent, ContainerRequested, ContainerSchedule, ContainerSpec } from './container.events';

export type ContainerStatus = 'creating' | 'running' | 'stopped' | 'failed' | 'deleted';

/** Who acts: a member acts only on their own containers, an admin on all. */
export interface ContainerActor {
  actor: string;
  member: string | null;
  admin: boolean;
}

interface State {
  status: ContainerStatus;
  owner: string;
  spec: ContainerSpec;
  snapshots: Set<string>;
  backups: Set<string>;
}

/** A member's LXD container, one stream per name; it decides what may happen to it and in which order. */
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

  get spec(): ContainerSpec {
    return this.existing().spec;
  }

  /** Refuses anyone but the owner and admins: the same answer for every route. */
  ensureAllowed(who: ContainerActor): void {
    const { owner } = this.existing();
    if (!who.admin && who.member !== owner) {
      throw new Forbidden(`container "${this.name}" belongs to another member`);
    }
  }

  /** Refuses changes to a container that is being created, failed or deleted. */
  ensureActive(): void {
    this.ensureStatus(['running', 'stopped']);
  }

  request(data: Omit<ContainerRequested['data'], 'name'>): void {
    if (this.state && this.state.status !== 'failed' && this.state.status !== 'deleted') {
      throw new Conflict(`container "${this.name}" already exists`);
    }
    this.record({ type: 'ContainerRequested', data: { name: this.name, ...data } });
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

  ensureNewSnapshot(snapshot: string): void {
    this.ensureStatus(['running', 'stopped']);
    if (this.existing().snapshots.has(snapshot)) throw new Conflict(`snapshot "${snapshot}" already exists`);
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

  ensureNewBackup(backup: string): void {
    this.ensureStatus(['running', 'stopped']);
    if (this.existing().backups.has(backup)) throw new Conflict(`backup "${backup}" already exists`);
  }

  backupExported(data: { backup: string; file: string; bytes: number; createdAt: string }): void {
    this.record({ type: 'BackupExported', data: { name: this.name, ...data } });
  }

  /** A backup outlives its container: it can be restored or deleted after the container is gone. */
  ensureBackup(backup: string): void {
    if (!this.existing().backups.has(backup)) throw new NotFound(`backup "${backup}" does not exist`);
  }

  backupDeleted(backup: string): void {
    this.record({ type: 'BackupDeleted', data: { name: this.name, backup } });
  }

  protected apply(event: ContainerEvent): void {
    if (event.type === 'ContainerRequested') {
      const { owner, image, limits, user, sshKeys, nesting } = event.data;
      const backups = this.state?.backups ?? new Set<string>();
      this.state = {
        status: 'creating',
        owner,
        spec: { image, limits, user, sshKeys, nesting },
        snapshots: new Set(),
        backups,
      };
      return;
    }
    const state = this.state;
    if (!state) return;
    switch (event.type) {
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
      case 'BackupExported':
        state.backups.add(event.data.backup);
        break;
      case 'BackupDeleted':
        state.backups.delete(event.data.backup);
        break;
    }
  }

  private existing(): State {
    if (!this.state) throw new NotFound(`container "${this.name}" does not exist`);
    return this.state;
  }

  private ensureStatus(allowed: ContainerStatus[]): void {
    const { status } = this.existing();
    if (status === 'deleted') throw new NotFound(`container "${this.name}" was deleted`);
    if (!allowed.includes(status)) throw new Conflict(`container "${this.name}" is ${status}`);
  }
}
