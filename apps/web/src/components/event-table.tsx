import type { AuditEntry } from '../api/audit';
import { Table } from './table';
import { Time } from './time';

/** Entries of the event log as rows: position, time, type, stream, actor. */
export function EventTable({ entries }: { entries: AuditEntry[] }) {
  return (
    <Table
      rows={entries}
      rowKey={(entry) => entry.position}
      columns={[
        { header: 'Position', cell: (entry) => entry.position },
        { header: 'When', cell: (entry) => <Time at={entry.time} /> },
        { header: 'Event', cell: (entry) => entry.type },
        { header: 'Stream', cell: (entry) => entry.streamId, className: 'mono' },
        { header: 'Actor', cell: (entry) => entry.actor },
      ]}
    />
  );
}
