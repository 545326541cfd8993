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
  }
>;

export type DeploymentSucceeded = DomainEvent<
  'DeploymentSucceeded',
  { deploymentId: string; commit: string; composeDigest: string; containers: DeployedContainer[] }
>;

export type DeploymentFailed = DomainEvent<'DeploymentFailed', { deploymentId: string; reason: string }>;

export type DeploymentEvent = DeploymentRequested | DeploymentSucceeded | DeploymentFailed;

/** Narrows an event read from the log (of any stream) to a deployment's. */
export const isDeploymentEvent = eventGuard<DeploymentEvent>([
  'DeploymentRequested',
  'DeploymentSucceeded',
  'DeploymentFailed',
]);
