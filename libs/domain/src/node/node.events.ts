import { DomainEvent } from '../aggregate-root';
import { eventGuard } from '../event-guard';
import { NodeEnrolmentProps } from './node-enrolment';

/** An admin enrolled a Worker or Guardian: the Manager will dial it and pin its key. */
export type NodeEnrolled = DomainEvent<'NodeEnrolled', NodeEnrolmentProps>;

/** The node's key changed: the Manager pins the new fingerprint from now on. */
export type NodeKeyRotated = DomainEvent<
  'NodeKeyRotated',
  { name: string; fingerprint: string; previousFingerprint: string }
>;

/** The node left the registry: the Manager stops dialling it. */
export type NodeRemoved = DomainEvent<'NodeRemoved', { name: string }>;

/** An admin gave the Worker these labels (all of them, in place of the old): what placement can ask for. */
export type NodeLabelled = DomainEvent<'NodeLabelled', { name: string; labels: string[] }>;

/** A drained Worker takes no new project or container; what runs on it stays. */
export type NodeDrainingSet = DomainEvent<'NodeDrainingSet', { name: string; draining: boolean }>;

export type NodeEvent = NodeEnrolled | NodeKeyRotated | NodeRemoved | NodeLabelled | NodeDrainingSet;

/** Narrows an event read from the log (of any stream) to a node's. */
export const isNodeEvent = eventGuard<NodeEvent>([
  'NodeEnrolled',
  'NodeKeyRotated',
  'NodeRemoved',
  'NodeLabelled',
  'NodeDrainingSet',
]);
