import { DomainEvent } from '../aggregate-root';
import { eventGuard } from '../event-guard';

/** Repositories of the organisation may be deployed from now on. */
export type OrganisationAllowed = DomainEvent<'OrganisationAllowed', { org: string }>;

/** Repositories of the organisation may no longer be deployed (what runs keeps running). */
export type OrganisationDisallowed = DomainEvent<'OrganisationDisallowed', { org: string }>;

/**
 * Whether any member may deploy a repository of the organisation that is no project yet, becoming its
 * maintainer (off for an organisation newly allowed).
 */
export type MemberDeploysSet = DomainEvent<'MemberDeploysSet', { org: string; allowed: boolean }>;

export type AllowListEvent = OrganisationAllowed | OrganisationDisallowed | MemberDeploysSet;

/** Narrows an event read from the log (of any stream) to the allow-list's. */
export const isAllowListEvent = eventGuard<AllowListEvent>([
  'OrganisationAllowed',
  'OrganisationDisallowed',
  'MemberDeploysSet',
]);
