import { useState, type FormEvent } from 'react';
import { auditPage, verifyChain, type AuditQuery } from '../api/audit';
import { listContainers } from '../api/containers';
import { listDeployments } from '../api/deployments';
import { Action } from '../components/action';
import { Field } from '../components/form';
import { Page, Section } from '../components/page';
import { Pager } from '../components/pager';
import { Status } from '../components/status';
import { Table } from '../components/table';
import { Loaded, useResource } from '../components/resource';
import { EventTable } from '../components/event-table';
import { Time } from '../components/time';
import { DeploymentTable } from './deployments/list';

const LIMIT = 50;

/** A local `datetime-local` value as the ISO time the API takes, or nothing. */
const isoOf = (local: string) => (local ? new Date(local).toISOString() : undefined);

/** The audit log: filters, cursor pages, the chain's check, and the deployments as they stood at a moment. */
export function Audit() {
  const [draft, setDraft] = useState({ actor: '', type: '', streamId: '', from: '', to: '' });
  const [filters, setFilters] = useState<AuditQuery>({ limit: LIMIT });
  const [cursors, setCursors] = useState<number[]>([]);
  const query = { ...filters, cursor: cursors.at(-1) };
  /** The next page after this one, where the answer says there is one. */
  const olderThan = (next: number | null) =>
    next === null ? undefined : () => setCursors([...cursors, next]);
  const page = useResource(() => auditPage(query), JSON.stringify(query));
  const set = (name: keyof typeof draft) => (value: string) => setDraft({ ...draft, [name]: value });
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setCursors([]);
    setFilters({
      limit: LIMIT,
      actor: draft.actor.trim() || undefined,
      type: draft.type.trim() || undefined,
      streamId: draft.streamId.trim() || undefined,
      from: isoOf(draft.from),
      to: isoOf(draft.to),
    });
  };
  return (
    <Page title="Audit">
      <Verify />
      <Section title="Filters">
        <form className="form filters" onSubmit={apply} aria-label="Audit filters">
          <div className="row">
            <Field label="Actor" value={draft.actor} set={set('actor')} spellCheck={false} />
            <Field label="Event type" value={draft.type} set={set('type')} spellCheck={false} />
            <Field label="Stream" value={draft.streamId} set={set('streamId')} spellCheck={false} />
          </div>
          <div className="row">
            <Field label="From" type="datetime-local" value={draft.from} set={set('from')} />
            <Field label="To" type="datetime-local" value={draft.to} set={set('to')} />
          </div>
          <div className="form-actions">
            <button type="submit" className="primary">
              Filter
            </button>
          </div>
        </form>
      </Section>
      <Section title="Entries">
        <Loaded resource={page} isEmpty={(answer) => answer.entries.length === 0} empty="No entries match.">
          {(answer) => (
            <>
              <EventTable entries={answer.entries} />
              <Pager
                label="Pages of the audit log"
                page={cursors.length + 1}
                newer={cursors.length > 0 ? () => setCursors(cursors.slice(0, -1)) : undefined}
                older={olderThan(answer.next)}
              />
            </>
          )}
        </Loaded>
      </Section>
      <TimeTravel />
    </Page>
  );
}

function Verify() {
  const [report, setReport] = useState<Awaited<ReturnType<typeof verifyChain>>>();
  return (
    <Section title="Hash chain">
      <Action run={verifyChain} done={(answer) => setReport(answer as typeof report)}>
        Verify the log
      </Action>
      {report && (
        <p role="status" className={report.ok ? 'good' : 'bad'}>
          {report.ok
            ? `Intact: ${report.checked} events checked up to position ${report.head}.`
            : `Broken at position ${report.firstBreak?.position}: ${report.firstBreak?.reason}`}
          {report.signedHead && (
            <>
              {' '}
              Signed head: position {report.signedHead.position}, <Time at={report.signedHead.signedAt} />.
            </>
          )}
        </p>
      )}
    </Section>
  );
}

/** The deployments as they stood at a log position or a moment, rebuilt from the log by the API. */
function TimeTravel() {
  const [moment, setMoment] = useState('');
  const [position, setPosition] = useState('');
  const [asOf, setAsOf] = useState<string>();
  const then = useResource(
    () => (asOf ? listDeployments({ limit: 100, asOf }) : Promise.resolve([])),
    asOf ?? '',
  );
  const boxesThen = useResource(
    () => (asOf ? listContainers({ asOf }) : Promise.resolve([])),
    `containers/${asOf ?? ''}`,
  );
  return (
    <Section title="Time travel">
      <form
        className="form"
        aria-label="Time travel"
        onSubmit={(event) => {
          event.preventDefault();
          setAsOf(position.trim() || isoOf(moment));
        }}
      >
        <div className="row">
          <Field label="At a moment" type="datetime-local" value={moment} set={setMoment} />
          <Field label="Or at a log position" type="number" min={0} value={position} set={setPosition} />
        </div>
        <div className="form-actions">
          <button type="submit" className="primary">
            Show the deployments and containers then
          </button>
        </div>
      </form>
      {asOf && (
        <>
          <h3>Deployments</h3>
          <Loaded resource={then} empty="No deployments then.">
            {(list) => <DeploymentTable deployments={list} />}
          </Loaded>
          <h3>Containers</h3>
          <Loaded resource={boxesThen} empty="No containers then.">
            {(list) => (
              <Table
                rows={list}
                rowKey={(one) => one.incarnation}
                columns={[
                  { header: 'Name', cell: (one) => one.name },
                  { header: 'Owner', cell: (one) => one.owner },
                  { header: 'Status', cell: (one) => <Status value={one.status} /> },
                ]}
              />
            )}
          </Loaded>
        </>
      )}
    </Section>
  );
}
