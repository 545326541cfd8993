import { Conflict } from '@testausdeploy/domain';
import { NodeView } from '../projections/node-view';

/** Refuses a key another node already has: every node proves itself with its own. */
export function keyTakenBy(others: NodeView[], fingerprint: string): void {
  const holder = others.find((node) => node.fingerprint === fingerprint);
  if (holder) throw new Conflict(`the key ${fingerprint} is already pinned for node "${holder.name}"`);
}
