/** Replaces the domains delegated to a project (an admin's), as `actor`. */
export class DelegateDomainsCommand {
  constructor(
    readonly org: string,
    readonly repo: string,
    readonly domains: string[],
    readonly actor: string,
  ) {}
}
