import { DomainEvent } from '../aggregate-root';
import { eventGuard } from '../event-guard';

/** Repositories of the organisation may be deployed from now on. */
export type OrganisationAllowed = DomainEvent<'OrganisationAllowed', { org: string }>;

/** Repositories of the organisation may no longer be deployed (what runs keeps running). */
export type OrganisationDisallowed = DomainEvent<'OrganisationDisallowed', { org: string }>;

export type AllowListEvent = OrganisationAllowed | OrganisationDisallowed;

/** Narrows an event read from the log (of any stream) to the allow-list's. */
export const isAllowListEvent = eventGuard<AllowListEvent>(['OrganisationAllowed', 'OrganisationDisallowed']);
