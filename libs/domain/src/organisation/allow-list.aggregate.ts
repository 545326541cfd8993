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

  protected apply(event: AllowListEvent): void {
    if (event.type === 'OrganisationAllowed') this.orgs.add(event.data.org);
    else this.orgs.delete(event.data.org);
  }
}
