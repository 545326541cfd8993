import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Member, MemberEvent } from '@testausdeploy/domain';
import { EventStore } from '@testausdeploy/events';
import { EventRecorder } from '../events/event-recorder';

/** Loads a Member from its stream (empty for a name never used) and saves what it decided, as `actor`. */
@Injectable()
export class MemberRepository {
  constructor(
    private readonly store: EventStore,
    private readonly recorder: EventRecorder,
  ) {}

  async load(name: string): Promise<Member> {
    const member = new Member(name);
    member.loadFromHistory((await this.store.readStream(Member.streamId(name))) as unknown as MemberEvent[]);
    return member;
  }

  async save(member: Member, actor: string): Promise<void> {
    await this.recorder.save(Member.streamId(member.name), member, {
      actor,
      correlationId: randomUUID(),
      causationId: null,
    });
  }
}
