import type { AuditEntry } from '../api/audit';
import { Time } from './time';

/** Entries of the event log as rows: position, time, type, stream, actor. */
export function EventTable({ entries }: { entries: AuditEntry[] }) {
  return (
    <div className="table-scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">Position</th>
            <th scope="col">When</th>
            <th scope="col">Event</th>
            <th scope="col">Stream</th>
            <th scope="col">Actor</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.position}>
              <td>{entry.position}</td>
              <td>
                <Time at={entry.time} />
              </td>
              <td>{entry.type}</td>
              <td className="mono">{entry.streamId}</td>
              <td>{entry.actor}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
