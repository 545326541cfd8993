import { DomainEvent } from '../aggregate-root';
import { eventGuard } from '../event-guard';

export interface PublishedPort {
  ip?: string;
  privatePort: number;
  publicPort?: number;
  protocol: string;
}

export interface DeployedContainer {
  name: string;
  service: string;
  state: string;
  status: string;
  ports: PublishedPort[];
}

export type DeploymentRequested = DomainEvent<
  'DeploymentRequested',
  {
    deploymentId: string;
    org: string;
    repo: string;
    branch: string;
    composePath: string;
    requestedBy: string;
    /** A rollback: the exact commit and compose file of an earlier successful attempt, instead of the head. */
    pinned?: PinnedVersion;
    /**
     * The version of the project's configuration (its variables) the attempt runs with: the newest when it was
     * requested, or for a rollback the one the restored attempt ran with. Absent in events recorded before
     * deployments were given variables: those ran with none (version 0).
     */
    configurationVersion?: number;
    /**
     * A move: the project runs on another node than this node now; this attempt runs there, and once it has
     * succeeded the project is recorded as moved and removed from the node it ran on (docs/scaling.md).
     */
    moveTo?: string;
  }
>;

export interface PinnedVersion {
  commit: string;
  composeDigest: string;
  /** The attempt whose version this restores. */
  rollbackOf: string;
}

/**
 * How a project with routes got its new version: started beside the running one (no request dropped), or in place,
 * and why (no version ran, or it cannot run twice).
 */
export type Handover = { mode: 'beside' } | { mode: 'replace'; reason: string };

export type DeploymentSucceeded = DomainEvent<
  'DeploymentSucceeded',
  {
    deploymentId: string;
    commit: string;
    composeDigest: string;
    containers: DeployedContainer[];
    /** Disk use of the clone after the deployment; absent in events recorded before it was reported. */
    diskBytes?: number;
    /** Where its routed services answer on the apps network; absent without routes. */
    upstreams?: { service: string; port: number; address: string }[];
    /** Absent without routes, and in events recorded before it was reported. */
    handover?: Handover;
  }
>;

export type DeploymentFailed = DomainEvent<
  'DeploymentFailed',
  {
    deploymentId: string;
    reason: string;
    /** The commit that failed, once the Worker had checked it out (a refused compose file, a failed build). */
    commit?: string;
  }
>;

/** Someone acted on a deployed project; `containers` is how it stands afterwards. */
export type LifecycleData = {
  deploymentId: string;
  org: string;
  repo: string;
  requestedBy: string;
  containers: DeployedContainer[];
};
export type DeploymentStopped = DomainEvent<'DeploymentStopped', LifecycleData>;
export type DeploymentStarted = DomainEvent<'DeploymentStarted', LifecycleData>;
export type DeploymentRestarted = DomainEvent<'DeploymentRestarted', LifecycleData>;
/** The project's containers, networks and built images are gone; its volumes too if `volumesRemoved`. */
export type DeploymentRemoved = DomainEvent<'DeploymentRemoved', LifecycleData & { volumesRemoved: boolean }>;

export type DeploymentLifecycleEvent =
  DeploymentStopped | DeploymentStarted | DeploymentRestarted | DeploymentRemoved;

export type DeploymentEvent =
  DeploymentRequested | DeploymentSucceeded | DeploymentFailed | DeploymentLifecycleEvent;

/** Narrows an event read from the log (of any stream) to a deployment's. */
export const isDeploymentEvent = eventGuard<DeploymentEvent>([
  'DeploymentRequested',
  'DeploymentSucceeded',
  'DeploymentFailed',
  'DeploymentStopped',
  'DeploymentStarted',
  'DeploymentRestarted',
  'DeploymentRemoved',
]);
