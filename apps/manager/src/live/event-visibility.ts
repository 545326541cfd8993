import {
  Deployment,
  isNotificationChannelEvent,
  isObservationEvent,
  isProjectEvent,
  Member,
  MemberContainer,
} from '@testausdeploy/domain';
import { EventStore, StoredEvent } from '@testausdeploy/events';
import { Caller } from '../auth/caller';
import { ProjectRef } from '../projects/project-access';
import { projectKey } from '../projects/projections/project-view';

/** Every member container's stream starts so, and every deployment's. */
const CONTAINER_STREAM = MemberContainer.streamId('');
const DEPLOYMENT_STREAM = Deployment.streamId('');

/** Who owned a container stream from a position on: the member of its incarnation requested there. */
interface Ownership {
  position: number;
  ownerId: string;
}

/** What one container stream says about who owns what in it. */
interface StreamOwners {
  /** Its incarnations' owners, in position order. */
  incarnations: Ownership[];
  /** Each backup's owner by backup id: a backup outlives its incarnation, and may be deleted after the name is reused. */
  backups: Map<string, string>;
}

/**
 * Which events of the log one caller may see live: an admin all of them; a member the events of the containers
 * they own, each judged by the incarnation it belongs to (a name someone else had before is not theirs; a backup
 * deleted later belongs to whoever owned it when it was made), the events of the projects they hold a role on
 * now (the roles, the deployments, the poller's back-offs and the notification channels), their containers' failed
 * scheduled backups, those of their own account, and nothing else: no other member's, no session, node or
 * firewall event.
 */
export class EventVisibility {
  /** Per container stream met, read once from the log, then kept up to date from the events that pass. */
  private readonly streams = new Map<string, StreamOwners>();
  /** Per deployment stream met, its project and where it was requested. */
  private readonly deployments = new Map<string, { project: string; requested: number }>();
  /**
   * The projects the member holds a role on, each with where it began (a removed project of the same repository
   * is not theirs): read once, then changed by the role events that pass.
   */
  private projects: Promise<Map<string, number>> | null = null;
  private added: Promise<number> | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly caller: Caller,
    private readonly projectsOf: (caller: Caller, after?: number) => Promise<ProjectRef[] | null>,
  ) {}

  async visible(event: StoredEvent): Promise<boolean> {
    if (this.caller.role === 'admin') return true;
    if (isProjectEvent(event)) {
      const held = await this.holds(projectKey(event.data.org, event.data.repo), event.position);
      const mine = 'memberId' in event.data && event.data.memberId === this.caller.memberId;
      if (!mine && !(held && event.type === 'ProjectRemoved')) return held;
      // Their own role changed, or their project went: what they may see is their roles as they are now (a
      // replayed old grant is not).
      this.projects = this.load(event.position);
      await this.projects;
      return true;
    }
    if (isObservationEvent(event)) {
      if (event.type === 'ScheduledBackupFailed') return event.data.ownerId === this.caller.memberId;
      if (event.type === 'PollingBackedOff' || event.type === 'CertificateFailed') {
        return this.holds(projectKey(event.data.org, event.data.repo), event.position);
      }
      return false;
    }
    if (isNotificationChannelEvent(event)) {
      const { org, repo } = event.data;
      return !!org && !!repo && this.holds(projectKey(org, repo), event.position);
    }
    if (event.streamId.startsWith(DEPLOYMENT_STREAM)) {
      const { project, requested } = await this.projectOf(event);
      return this.holds(project, requested);
    }
    if (event.streamId === Member.streamId(this.caller.member as string)) {
      // Their own account's events, from when they were added: not a former member's of the same name.
      return event.position >= (await this.addedAt());
    }
    if (!event.streamId.startsWith(CONTAINER_STREAM)) return false;
    const owners = await this.ownersOf(event.streamId);
    learn(owners, event);
    return ownerOf(owners, event) === this.caller.memberId;
  }

  /** Where the caller's own `MemberAdded` is in the log. */
  private addedAt(): Promise<number> {
    this.added ??= this.store.readStream(Member.streamId(this.caller.member as string)).then((events) => {
      const own = events.find(
        (event) =>
          event.type === 'MemberAdded' &&
          (event.data as { memberId?: string }).memberId === this.caller.memberId,
      );
      return own?.position ?? Number.MAX_SAFE_INTEGER;
    });
    return this.added;
  }

  /** Whether the member holds a role on the project as it was at `position` (not a removed one's). */
  private async holds(project: string, position: number): Promise<boolean> {
    this.projects ??= this.load();
    const since = (await this.projects).get(project);
    return since !== undefined && position >= since;
  }

  /** The member's projects now, once the read models have taken in the log up to `after`. */
  private async load(after?: number): Promise<Map<string, number>> {
    const projects = await this.projectsOf(this.caller, after);
    return new Map((projects ?? []).map(({ org, repo, since }) => [projectKey(org, repo), since]));
  }

  /** The project of a deployment stream's event, and where it was requested: its request is the stream's first. */
  private async projectOf(event: StoredEvent): Promise<{ project: string; requested: number }> {
    let known = this.deployments.get(event.streamId);
    if (!known) {
      const [requested] = event.version === 1 ? [event] : await this.store.readStream(event.streamId);
      const { org, repo } = requested.data as { org: string; repo: string };
      known = { project: projectKey(org, repo), requested: requested.position };
      this.deployments.set(event.streamId, known);
    }
    return known;
  }

  private async ownersOf(streamId: string): Promise<StreamOwners> {
    let owners = this.streams.get(streamId);
    if (!owners) {
      owners = { incarnations: [], backups: new Map() };
      for (const event of await this.store.readStream(streamId)) learn(owners, event);
      this.streams.set(streamId, owners);
    }
    return owners;
  }
}

/** Takes in what `event` says about owners, once however often it is met. */
function learn(owners: StreamOwners, event: StoredEvent): void {
  const data = event.data as { ownerId?: string; id?: string };
  if (event.type === 'ContainerRequested') {
    if (!owners.incarnations.some(({ position }) => position === event.position)) {
      owners.incarnations.push({ position: event.position, ownerId: data.ownerId as string });
    }
  } else if (event.type === 'BackupExported' && data.id && !owners.backups.has(data.id)) {
    const owner = incarnationOwner(owners, event.position);
    if (owner) owners.backups.set(data.id, owner);
  }
}

function ownerOf(owners: StreamOwners, event: StoredEvent): string | undefined {
  const backup = (event.data as { id?: string }).id;
  if (event.type === 'BackupDeleted' && backup) return owners.backups.get(backup);
  return incarnationOwner(owners, event.position);
}

function incarnationOwner({ incarnations }: StreamOwners, position: number): string | undefined {
  return incarnations.filter((one) => one.position <= position).pop()?.ownerId;
}
