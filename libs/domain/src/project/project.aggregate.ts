import { AggregateRoot } from '../aggregate-root';
import { Conflict, NotFound } from '../errors';
import type { Placement } from '../placement/node-choice';
import { ProjectEvent, ProjectRole } from './project.events';

/** Who a role is given to: a member's id (who they are) and name (how people know them). */
export interface ProjectMember {
  memberId: string;
  member: string;
}

/**
 * The members' roles on one project, one stream per repository: the compose project, its lock and its clone are
 * one per repository, so a repository is one project whatever branch or compose file is deployed from it.
 */
export class Project extends AggregateRoot<ProjectEvent> {
  private readonly roles = new Map<string, ProjectRole>();
  private placedOn: string | null = null;
  private lastMovedFrom: string | null = null;
  private readonly left = new Set<string>();

  constructor(
    readonly org: string,
    readonly repo: string,
  ) {
    super();
  }

  static streamId(org: string, repo: string): string {
    return `project-${org}/${repo}`;
  }

  /** The node everything of the project runs on; null before its first deployment and once it is removed. */
  get node(): string | null {
    return this.placedOn;
  }

  /** The node its last move took it from; null if it never moved. */
  get movedFrom(): string | null {
    return this.lastMovedFrom;
  }

  /**
   * The nodes it moved away from whose Worker has not yet removed what it left there; a node it moved back to is
   * not one of them.
   */
  get leftOn(): string[] {
    return [...this.left];
  }

  /** Gives the project its node; refused when it has one (this stream's version check makes two at once one). */
  place({ node, rule, reason }: Placement): void {
    if (this.placedOn) throw new Conflict(`${this.org}/${this.repo} runs on ${this.placedOn} already`);
    this.record({ type: 'ProjectPlaced', data: { org: this.org, repo: this.repo, node, rule, reason } });
  }

  /** Records that the project now runs on `to` (deployed there and switched); what it left where it ran stays. */
  moved(to: string): void {
    const from = this.placedOn;
    if (!from) throw new Conflict(`${this.org}/${this.repo} runs nowhere yet: deploy it first`);
    if (from === to) throw new Conflict(`${this.org}/${this.repo} runs on ${to} already`);
    this.record({ type: 'ProjectMoved', data: { org: this.org, repo: this.repo, from, to } });
  }

  /** Records that what the project left on `from` was removed there: its move away from `from` is finished. */
  moveFinished(from: string): void {
    if (!this.left.has(from))
      throw new Conflict(`${this.org}/${this.repo} left nothing on ${from} to remove`);
    this.record({ type: 'ProjectMoveFinished', data: { org: this.org, repo: this.repo, from } });
  }

  roleOf(memberId: string): ProjectRole | null {
    return this.roles.get(memberId) ?? null;
  }

  grant({ memberId, member }: ProjectMember, role: ProjectRole): void {
    if (this.roles.get(memberId) === role) {
      throw new Conflict(`${member} is already ${role} of ${this.org}/${this.repo}`);
    }
    this.record({
      type: 'ProjectRoleGranted',
      data: { org: this.org, repo: this.repo, memberId, member, role },
    });
  }

  /**
   * A member deploys a repository nobody holds yet and becomes its maintainer; refused when someone got there
   * first (this stream's version check makes two at once one winner).
   */
  claim({ memberId, member }: ProjectMember): void {
    if (this.roles.size > 0) throw new Conflict(`${this.org}/${this.repo} already has members`);
    this.record({
      type: 'ProjectRoleGranted',
      data: { org: this.org, repo: this.repo, memberId, member, role: 'maintainer', claimed: true },
    });
  }

  revoke({ memberId, member }: ProjectMember): void {
    if (!this.roles.has(memberId)) throw new NotFound(`${member} has no role on ${this.org}/${this.repo}`);
    this.record({ type: 'ProjectRoleRevoked', data: { org: this.org, repo: this.repo, memberId, member } });
  }

  /** Ends every role: the last step of removing the project (the rest of it is gone by then). */
  remove(): void {
    this.record({ type: 'ProjectRemoved', data: { org: this.org, repo: this.repo } });
  }

  protected apply(event: ProjectEvent): void {
    switch (event.type) {
      case 'ProjectRoleGranted':
        this.roles.set(event.data.memberId, event.data.role);
        break;
      case 'ProjectRoleRevoked':
        this.roles.delete(event.data.memberId);
        break;
      case 'ProjectRemoved':
        this.roles.clear();
        this.placedOn = null;
        this.lastMovedFrom = null;
        this.left.clear();
        break;
      case 'ProjectPlaced':
        this.placedOn = event.data.node;
        break;
      case 'ProjectMoved':
        this.placedOn = event.data.to;
        this.lastMovedFrom = event.data.from;
        this.left.add(event.data.from);
        this.left.delete(event.data.to);
        break;
      case 'ProjectMoveFinished':
        this.left.delete(event.data.from);
        break;
    }
  }
}
