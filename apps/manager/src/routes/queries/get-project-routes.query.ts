import { CertificateState } from '@testausdeploy/icp';

/** A project's routes, where each answers, and whether the proxy serves them now. */
export class GetProjectRoutesQuery {
  constructor(
    readonly org: string,
    readonly repo: string,
  ) {}
}

export interface ProjectRoutesAnswer {
  org: string;
  repo: string;
  /** The first route's host name from APPS_DOMAIN (null without one). */
  defaultHost: string | null;
  /** The domains an admin delegated to it: its maintainers give its routes host names under them. */
  domains: string[];
  /** Whether what runs is served: a version ran and is not stopped. */
  serving: boolean;
  routes: {
    service: string;
    port: number;
    /** The host names given to it (an admin's, or a maintainer's under a delegated domain), without the default one. */
    hosts: string[];
    /** Every host name it answers at, the default one first. */
    servedAt: string[];
    /** Host names it would answer at that another project had first (its default one, say), and whose. */
    heldElsewhere: { host: string; heldBy: string }[];
    /** The certificate of each host name it answers at, as a Guardian's proxy last reported it. */
    certificates: CertificateState[];
    /** Its requests (and 5xx answers) through the proxy since the Guardians started; null before any report. */
    requests: { requests: number; serverErrors: number; since: string } | null;
    /** Where the running version answers on the apps network, once one ran with this route. */
    upstream: { address: string; port: number } | null;
  }[];
}
