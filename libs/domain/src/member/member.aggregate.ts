import { AggregateRoot } from '../aggregate-root';
import { Conflict, InvalidInput, NotFound } from '../errors';
import { MemberEvent, MemberRole } from './member.events';

/** A member's name: 2-32 of a-z, 0-9 and single hyphens, starting with a letter (also their unix user). */
export const MEMBER_NAME = /^(?!.*--)[a-z][a-z0-9-]{0,30}[a-z0-9]$/;

/** Why `name` cannot be a member's name, or null if it can. */
export function memberNameProblem(name: string): string | null {
  return MEMBER_NAME.test(name)
    ? null
    : `member name "${name}" must be 2-32 characters of a-z, 0-9 and single hyphens, starting with a letter`;
}

/**
 * A member's account, one stream per name. A removed name can be added again, as a new member (a new id); its
 * history stays in one stream.
 */
export class Member extends AggregateRoot<MemberEvent> {
  private role: MemberRole | null = null;

  constructor(readonly name: string) {
    super();
  }

  static streamId(name: string): string {
    return `member-${name}`;
  }

  add(role: MemberRole, tokenDigest: string, memberId: string): void {
    const problem = memberNameProblem(this.name);
    if (problem) throw new InvalidInput(problem);
    if (this.role) throw new Conflict(`member "${this.name}" already exists`);
    this.record({ type: 'MemberAdded', data: { name: this.name, memberId, role, tokenDigest } });
  }

  replaceToken(tokenDigest: string): void {
    this.current();
    this.record({ type: 'MemberTokenReplaced', data: { name: this.name, tokenDigest } });
  }

  changeRole(role: MemberRole): void {
    if (this.current() === role) throw new Conflict(`member "${this.name}" is already ${role}`);
    this.record({ type: 'MemberRoleChanged', data: { name: this.name, role } });
  }

  remove(): void {
    this.current();
    this.record({ type: 'MemberRemoved', data: { name: this.name } });
  }

  protected apply(event: MemberEvent): void {
    if (event.type === 'MemberAdded' || event.type === 'MemberRoleChanged') this.role = event.data.role;
    else if (event.type === 'MemberRemoved') this.role = null;
  }

  private current(): MemberRole {
    if (!this.role) throw new NotFound(`member "${this.name}" does not exist`);
    return this.role;
  }
}
