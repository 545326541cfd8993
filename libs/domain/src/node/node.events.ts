import { DomainEvent } from '../aggregate-root';
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

export type NodeEvent = NodeEnrolled | NodeKeyRotated | NodeRemoved;

const NODE_EVENT_TYPES: ReadonlySet<string> = new Set<NodeEvent['type']>([
  'NodeEnrolled',
  'NodeKeyRotated',
  'NodeRemoved',
]);

/** Narrows an event read from the log (of any stream) to a node's. */
export function isNodeEvent<E extends { type: string }>(event: E): event is E & NodeEvent {
  return NODE_EVENT_TYPES.has(event.type);
}
