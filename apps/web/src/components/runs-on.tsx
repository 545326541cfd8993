import { Status } from './status';
import { Time } from './time';

/** Where something runs: its node, why it went there, and since when the node is unreachable, if it is. */
export function RunsOn({
  node,
  reason,
  unreachableSince,
}: {
  node: string;
  reason?: string;
  unreachableSince: string | null;
}) {
  return (
    <>
      <span className="mono">{node}</span>
      {reason && <span className="muted small"> ({reason})</span>}
      {unreachableSince && (
        <>
          {' '}
          <Status value="unreachable" /> since <Time at={unreachableSince} />
        </>
      )}
    </>
  );
}
