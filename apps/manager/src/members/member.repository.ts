import { Injectable } from '@nestjs/common';
import { Member } from '@testausdeploy/domain';
import { EventRecorder } from '../events/event-recorder';

/** Loads a Member from its stream (empty for a name never used) and saves what it decided, as `actor`. */
@Injectable()
export class MemberRepository {
  constructor(private readonly recorder: EventRecorder) {}

  load(name: string): Promise<Member> {
    return this.recorder.load(new Member(name), Member.streamId(name));
  }

  async save(member: Member, actor: string): Promise<void> {
    await this.recorder.saveAs(Member.streamId(member.name), member, actor);
  }
}
