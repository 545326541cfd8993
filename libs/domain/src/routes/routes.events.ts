import { DomainEvent } from '../aggregate-root';
import { eventGuard } from '../event-guard';

/**
 * Which of a project's services answers web requests, on which container port, and at which host names beside the
 * default one (the first route's, made from the repository's name and APPS_DOMAIN by the Manager).
 */
export interface ProjectRoute {
  service: string;
  port: number;
  hosts: string[];
}

/** A project's routes were set, all of them at once (none: the project serves nothing through the proxy). */
export type RoutesChanged = DomainEvent<
  'RoutesChanged',
  { org: string; repo: string; routes: ProjectRoute[] }
>;

/**
 * The domains an admin delegated to a project, all at once: its maintainers give its routes host names under them
 * (the domain itself too) without an admin.
 */
export type DomainsDelegated = DomainEvent<
  'DomainsDelegated',
  { org: string; repo: string; domains: string[] }
>;

export type RoutesEvent = RoutesChanged | DomainsDelegated;

export const isRoutesEvent = eventGuard<RoutesEvent>(['RoutesChanged', 'DomainsDelegated']);
