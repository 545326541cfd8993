import { useState } from 'react';
import { listProjections, rebuildAll, rebuildOne } from '../../api/projections';
import { Action } from '../../components/action';
import { Page, Section } from '../../components/page';
import { Loaded, useResource } from '../../components/resource';

type Rebuilt = Awaited<ReturnType<typeof rebuildOne>>;

/**
 * The read models: rebuild one or all from the log, with a bar while it replays, then what it replayed and how
 * long it took.
 */
export function Projections() {
  // While a rebuild runs the list says how far it has come: asked again every second.
  const projections = useResource(listProjections, 'projections', { everyMs: 1000 });
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
          {({ projections: names, rebuilding }) => (
            <ul className="plain">
              {names.map((name) => {
                const result = results.find((one) => one.name === name);
                const running = rebuilding.find((one) => one.name === name);
                return (
                  <li key={name} className="item">
                    <strong>{name}</strong>
                    {running ? (
                      <span className="muted" role="status">
                        <progress
                          value={running.position}
                          max={Math.max(running.head, 1)}
                          aria-label={`Rebuilding ${name}`}
                        />{' '}
                        rebuilding: position {running.position} of {running.head}
                      </span>
                    ) : (
                      result && (
                        <span className="muted" role="status">
                          rebuilt: {result.events} events to position {result.position} in{' '}
                          {Math.round(result.durationMs)} ms
                        </span>
                      )
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
