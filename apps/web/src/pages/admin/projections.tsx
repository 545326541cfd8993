import { useState } from 'react';
import { listProjections, rebuildAll, rebuildOne } from '../../api/projections';
import { Action } from '../../components/action';
import { Page, Section } from '../../components/page';
import { Loaded, useResource } from '../../components/resource';

type Rebuilt = Awaited<ReturnType<typeof rebuildOne>>;

/** The read models: rebuild one or all from the log, with what each rebuild replayed and how long it took. */
export function Projections() {
  const projections = useResource(listProjections, 'projections');
  const [results, setResults] = useState<Rebuilt[]>([]);
  return (
    <Page
      title="Projections"
      actions={
        <Action run={rebuildAll} done={(answer) => setResults((answer as { rebuilt: Rebuilt[] }).rebuilt)}>
          Rebuild all
        </Action>
      }
    >
      <Section title="Read models">
        <Loaded resource={projections} isEmpty={(answer) => answer.projections.length === 0} empty="None.">
          {({ projections: names }) => (
            <ul className="plain">
              {names.map((name) => {
                const result = results.find((one) => one.name === name);
                return (
                  <li key={name} className="item">
                    <strong>{name}</strong>
                    {result && (
                      <span className="muted" role="status">
                        rebuilt: {result.events} events to position {result.position} in{' '}
                        {Math.round(result.durationMs)} ms
                      </span>
                    )}
                    <Action run={() => rebuildOne(name)} done={(answer) => setResults([answer as Rebuilt])}>
                      Rebuild {name}
                    </Action>
                  </li>
                );
              })}
            </ul>
          )}
        </Loaded>
      </Section>
    </Page>
  );
}
