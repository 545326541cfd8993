import { NodeView } from './projections/node-view';

/** A node as the API shows it: the registry's record and whether its ICP session is up right now. */
export type NodeStatus = Omit<NodeView, '_id' | 'position'> & { connected: boolean };

export function nodeStatus(view: NodeView, connected: boolean): NodeStatus {
  const { name, kind, url, fingerprint, guardian, enrolledBy, enrolledAt, keyRotatedAt } = view;
  return { name, kind, url, fingerprint, guardian, enrolledBy, enrolledAt, keyRotatedAt, connected };
}
