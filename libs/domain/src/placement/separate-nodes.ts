import { Conflict, Unavailable } from '../errors';
import type { WorkloadKind } from './node-choice';

/** What two copies of one workload would share, named in the refusal. */
const SHARED: Record<WorkloadKind, string> = {
  project:
    "run projects on one Docker engine: the project's containers would be taken over, then removed with the old copy",
  container:
    "keep members' containers in one LXD project: the copy would meet the original under its name, and undoing a " +
    'failed move would delete it; give each Worker its own (LXD_PROJECT)',
};

/**
 * Refuses a move between two Workers that hold the workload's copies in one place: one Docker engine for a
 * project, one LXD project for a member's container (what `holder` says for each, from its capacity report). A
 * Worker that has not said yet answers 503: the move waits for it rather than go ahead unchecked.
 */
export function ensureSeparate(
  kind: WorkloadKind,
  from: string,
  to: string,
  holder: (node: string) => string | null | undefined,
): void {
  const [there, here] = [from, to].map((node) => {
    const held = holder(node);
    if (!held) throw new Unavailable(`${node} has not reported its capacity yet: try again in a minute`);
    return held;
  });
  if (there === here) throw new Conflict(`${from} and ${to} ${SHARED[kind]}`);
}
