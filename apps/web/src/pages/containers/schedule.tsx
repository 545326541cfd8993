import { useState } from 'react';
import { setSchedule, type MemberContainer, type ScheduleRule } from '../../api/containers';
import { Field, Form } from '../../components/form';
import { Section } from '../../components/page';

type Kind = 'snapshots' | 'backups';

/** One schedule's fields as typed: on or off, every how many hours, how many to keep. */
function useRule(rule: ScheduleRule | null) {
  const [on, setOn] = useState(rule !== null);
  const [every, setEvery] = useState(String(rule?.everyHours ?? 24));
  const [keep, setKeep] = useState(String(rule?.keep ?? 3));
  const value = on ? { everyHours: Number(every), keep: Number(keep) } : null;
  return { on, setOn, every, setEvery, keep, setKeep, value };
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

/** Scheduled snapshots and backups of a container: the oldest beyond `keep` go (the quota bounds `keep`). */
export function Schedule({ container, changed }: { container: MemberContainer; changed: () => void }) {
  const snapshots = useRule(container.schedule.snapshots);
  const backups = useRule(container.schedule.backups);
  return (
    <Section title="Schedules">
      <Form
        label="Save schedules"
        submit={async () => {
          await setSchedule(container.name, { snapshots: snapshots.value, backups: backups.value });
          changed();
        }}
      >
        <RuleFields kind="snapshots" rule={snapshots} />
        <RuleFields kind="backups" rule={backups} />
      </Form>
    </Section>
  );
}
