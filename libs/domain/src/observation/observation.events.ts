import { DomainEvent } from '../aggregate-root';
import { eventGuard } from '../event-guard';

/**
 * The poller could not read a deployed branch's head and skips the repository for a while (recorded when a
 * streak of failures starts, not for every retry).
 */
export type PollingBackedOff = DomainEvent<
  'PollingBackedOff',
  { org: string; repo: string; branch: string; reason: string; retryInSeconds: number }
>;

/** A container's scheduled backup could not be made (recorded once per streak of failures, and reason). */
export type ScheduledBackupFailed = DomainEvent<
  'ScheduledBackupFailed',
  { container: string; ownerId: string; owner: string; reason: string }
>;

/** A node's session has been down for longer than the Manager's NODE_UNREACHABLE_AFTER_MS, once per outage. */
export type NodeUnreachable = DomainEvent<'NodeUnreachable', { node: string; kind: string; since: string }>;

/** A host name of a project's routes has no certificate, and the proxy's last try to get one failed (once per streak). */
export type CertificateFailed = DomainEvent<
  'CertificateFailed',
  { org: string; repo: string; host: string; guardian: string; reason: string }
>;

/** One thing on a node found other than the log says: `subject` is `project:org/repo` or `container:name`. */
export interface StateDifference {
  subject: string;
  recorded: string;
  found: string;
}

/**
 * When a Worker's session opened, what runs on it was read and compared with what the log says should: these
 * differed (a container stopped or gone while the node was away, say). The log is not rewritten: an admin acts.
 */
export type NodeStateDiffered = DomainEvent<
  'NodeStateDiffered',
  { node: string; differences: StateDifference[] }
>;

export type ObservationEvent =
  PollingBackedOff | ScheduledBackupFailed | NodeUnreachable | CertificateFailed | NodeStateDiffered;

export const isObservationEvent = eventGuard<ObservationEvent>([
  'PollingBackedOff',
  'ScheduledBackupFailed',
  'NodeUnreachable',
  'CertificateFailed',
  'NodeStateDiffered',
]);
