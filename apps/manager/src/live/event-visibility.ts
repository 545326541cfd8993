import { MemberContainer } from '@testausdeploy/domain';
import { EventStore, StoredEvent } from '@testausdeploy/events';
import { Caller } from '../auth/caller';

/** Every member container's stream starts so. */
const CONTAINER_STREAM = MemberContainer.streamId('');

/** Who owned a container stream from a position on: the member of its incarnation requested there. */
interface Ownership {
  position: number;
  ownerId: string;
}

/**
 * Which events of the log one caller may see live: an admin all of them; a member the events of the containers
 * they own, each judged by the incarnation it belongs to (a name someone else had before is not theirs), and
 * nothing else: no deployment, member, session, node or firewall event.
 */
export class EventVisibility {
  /** Per container stream, its incarnations' owners in position order; read once, then kept up to date. */
  private readonly owners = new Map<string, Ownership[]>();

  constructor(
    private readonly store: EventStore,
    private readonly caller: Caller,
  ) {}

  async visible(event: StoredEvent): Promise<boolean> {
    if (this.caller.role === 'admin') return true;
    if (!event.streamId.startsWith(CONTAINER_STREAM)) return false;
    const owners = await this.ownersOf(event.streamId);
    if (event.type === 'ContainerRequested' && !owners.some(({ position }) => position === event.position)) {
      owners.push({ position: event.position, ownerId: requestedBy(event) });
    }
    const owner = owners.filter(({ position }) => position <= event.position).pop();
    return owner !== undefined && owner.ownerId === this.caller.memberId;
  }

  private async ownersOf(streamId: string): Promise<Ownership[]> {
    let owners = this.owners.get(streamId);
    if (!owners) {
      const events = await this.store.readStream(streamId);
      owners = events
        .filter((event) => event.type === 'ContainerRequested')
        .map((event) => ({ position: event.position, ownerId: requestedBy(event) }));
      this.owners.set(streamId, owners);
    }
    return owners;
  }
}

function requestedBy(event: StoredEvent): string {
  return (event.data as { ownerId: string }).ownerId;
}
