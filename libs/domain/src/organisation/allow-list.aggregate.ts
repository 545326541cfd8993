import { AggregateRoot } from '../aggregate-root';
import { orgNameProblem } from '../deployment/git-names';
import { Conflict, InvalidInput, NotFound } from '../errors';
import { AllowListEvent } from './allow-list.events';

/**
 * The GitHub organisations whose repositories may be deployed: one list, one stream. Names are kept in lower
 * case (GitHub's are case-insensitive), so one spelling means one entry.
 */
export class AllowList extends AggregateRoot<AllowListEvent> {
  static readonly streamId = 'allow-list';
  private readonly orgs = new Set<string>();
  private readonly memberDeploys = new Set<string>();

  get organisations(): string[] {
    return [...this.orgs].sort();
  }

  allow(org: string): void {
    const problem = orgNameProblem(org);
    if (problem) throw new InvalidInput(problem);
    const name = org.toLowerCase();
    if (this.orgs.has(name)) throw new Conflict(`organisation "${name}" is already allowed`);
    this.record({ type: 'OrganisationAllowed', data: { org: name } });
  }

  disallow(org: string): void {
    const name = org.toLowerCase();
    if (!this.orgs.has(name)) throw new NotFound(`organisation "${name}" is not on the allow-list`);
    this.record({ type: 'OrganisationDisallowed', data: { org: name } });
  }

  setMemberDeploys(org: string, allowed: boolean): void {
    const name = org.toLowerCase();
    if (!this.orgs.has(name)) throw new NotFound(`organisation "${name}" is not on the allow-list`);
    if (this.memberDeploys.has(name) === allowed) {
      throw new Conflict(`member deploys of "${name}" are already ${allowed ? 'on' : 'off'}`);
    }
    this.record({ type: 'MemberDeploysSet', data: { org: name, allowed } });
  }

  protected apply(event: AllowListEvent): void {
    const { org } = event.data;
    if (event.type === 'OrganisationAllowed') this.orgs.add(org);
    else if (event.type === 'OrganisationDisallowed') {
      this.orgs.delete(org);
      this.memberDeploys.delete(org);
    } else if (event.data.allowed) this.memberDeploys.add(org);
    else this.memberDeploys.delete(org);
  }
}
