import { useState } from 'react';
import {
  setSchedule,
  type MemberContainer,
  type Schedule as Recorded,
  type ScheduleRule,
} from '../../api/containers';
import { Field, Form } from '../../components/form';
import { Section } from '../../components/page';

type Kind = 'snapshots' | 'backups';

/** One schedule's fields as typed: on or off, every how many hours, how many to keep. */
function useRule(rule: ScheduleRule | null, edit: () => void) {
  const [on, setOn] = useState(rule !== null);
  const [every, setEvery] = useState(String(rule?.everyHours ?? 24));
  const [keep, setKeep] = useState(String(rule?.keep ?? 3));
  const value = on ? { everyHours: Number(every), keep: Number(keep) } : null;
  const edited =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      edit();
      set(value);
    };
  const reset = (to: ScheduleRule | null) => {
    setOn(to !== null);
    if (to) {
      setEvery(String(to.everyHours));
      setKeep(String(to.keep));
    }
  };
  return {
    on,
    setOn: edited(setOn),
    every,
    setEvery: edited(setEvery),
    keep,
    setKeep: edited(setKeep),
    value,
    reset,
  };
}

function RuleFields({ kind, rule }: { kind: Kind; rule: ReturnType<typeof useRule> }) {
  const fields: [string, string, (value: string) => void][] = [
    ['Every (hours)', rule.every, rule.setEvery],
    ['Keep the latest', rule.keep, rule.setKeep],
  ];
  return (
    <fieldset className="rule">
      <legend>{kind === 'snapshots' ? 'Snapshots' : 'Backups'}</legend>
      <label className="check">
        <input type="checkbox" checked={rule.on} onChange={(event) => rule.setOn(event.target.checked)} />
        {kind === 'snapshots' ? 'Take snapshots on a schedule' : 'Export backups on a schedule'}
      </label>
      {rule.on && (
        <div className="row">
          {fields.map(([label, value, set]) => (
            <Field key={label} label={label} type="number" min={1} value={value} set={set} required />
          ))}
        </div>
      )}
    </fieldset>
  );
}

/**
 * Scheduled snapshots and backups of a container: the oldest beyond `keep` go (the quota bounds `keep`).
 * The fields follow what is recorded until the member changes one; from then on a page reload never takes their
 * edit away, and a schedule changed elsewhere meanwhile is said, so saving over it is a choice.
 */
export function Schedule({ container, changed }: { container: MemberContainer; changed: () => void }) {
  const recorded = JSON.stringify(container.schedule);
  const [edited, setEdited] = useState(false);
  const edit = () => setEdited(true);
  const snapshots = useRule(container.schedule.snapshots, edit);
  const backups = useRule(container.schedule.backups, edit);
  /** The recorded schedule the fields were last set from or saved as, and the last one the page heard of. */
  const [base, setBase] = useState(recorded);
  const [heard, setHeard] = useState(recorded);
  const showRecorded = (schedule: Recorded) => {
    snapshots.reset(schedule.snapshots ?? null);
    backups.reset(schedule.backups ?? null);
    setBase(JSON.stringify(schedule));
  };
  if (recorded !== heard) {
    setHeard(recorded);
    if (!edited) showRecorded(container.schedule);
  }
  return (
    <Section title="Schedules">
      <Form
        label="Save schedules"
        submit={async () => {
          const saved = await setSchedule(container.name, {
            snapshots: snapshots.value,
            backups: backups.value,
          });
          setEdited(false);
          showRecorded(saved.schedule);
          changed();
        }}
      >
        <RuleFields kind="snapshots" rule={snapshots} />
        <RuleFields kind="backups" rule={backups} />
        {edited && recorded !== base && (
          <p className="muted" role="status">
            The schedules were changed elsewhere since you began: saving replaces them with yours.
          </p>
        )}
      </Form>
    </Section>
  );
}
