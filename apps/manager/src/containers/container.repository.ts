import { Injectable } from '@nestjs/common';
import { ContainerActor, MemberContainer } from '@testausdeploy/domain';
import { Caller } from '../auth/caller';
import { EventRecorder } from '../events/event-recorder';

export const containerActor = (caller: Caller): ContainerActor => ({
  actor: caller.actor,
  memberId: caller.memberId,
  admin: caller.role === 'admin',
});

/** Loads a MemberContainer from its stream and saves what it decided, in the caller's name. */
@Injectable()
export class ContainerRepository {
  constructor(private readonly recorder: EventRecorder) {}

  load(name: string): Promise<MemberContainer> {
    return this.recorder.load(new MemberContainer(name), MemberContainer.streamId(name));
  }

  /** Loads a container the caller may act on: 404 if there is none or it is another member's. */
  async loadFor(name: string, caller: Caller): Promise<MemberContainer> {
    const container = await this.load(name);
    container.ensureAllowed(containerActor(caller));
    return container;
  }

  async save(container: MemberContainer, actor: string): Promise<void> {
    if (container.pendingEvents.length === 0) return;
    await this.recorder.saveAs(MemberContainer.streamId(container.name), container, actor);
  }
}
