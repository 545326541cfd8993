import { useEffect, useState } from 'react';
import type { ApiError } from '../../api/client';
import { followContainerLogs, type Deployment } from '../../api/deployments';
import { LogView } from '../../components/log-view';
import { Section } from '../../components/page';
import { Problem } from '../../components/problem';
import { asApiError } from '../../components/resource';
import { whileShown } from '../../while-shown';

/** Lines the page keeps; older ones go as new ones come. */
const KEPT_LINES = 2000;
/** Lines that come close together are drawn together. */
const DRAW_EVERY_MS = 100;

type Following = { state: 'following' } | { state: 'ended' } | { state: 'failed'; error: ApiError };

/** The project's containers' output followed live, one service or all, from the last 200 lines on. */
export function ContainerOutput({ deployment }: { deployment: Deployment }) {
  const services = [...new Set(deployment.containers.map((one) => one.service))];
  const [service, setService] = useState('');
  const [lines, setLines] = useState<string[]>([]);
  const [following, setFollowing] = useState<Following>({ state: 'following' });
  const [round, setRound] = useState(0);

  useEffect(
    () =>
      whileShown(() => {
        const stop = new AbortController();
        let pending: string[] = [];
        let timer: number | undefined;
        const draw = () => {
          window.clearTimeout(timer);
          timer = undefined;
          const drawn = pending;
          pending = [];
          setLines((before) => [...before, ...drawn].slice(-KEPT_LINES));
        };
        setLines([]);
        setFollowing({ state: 'following' });
        followContainerLogs(
          deployment.id,
          service || undefined,
          (line) => {
            pending.push(line);
            timer ??= window.setTimeout(draw, DRAW_EVERY_MS);
          },
          stop.signal,
        ).then(
          () => {
            if (stop.signal.aborted) return;
            draw();
            setFollowing({ state: 'ended' });
          },
          (error: unknown) =>
            !stop.signal.aborted && setFollowing({ state: 'failed', error: asApiError(error) }),
        );
        return () => {
          stop.abort();
          window.clearTimeout(timer);
        };
      }),
    [deployment.id, service, round],
  );

  const again = () => setRound((one) => one + 1);
  return (
    <Section title="Container output">
      <label className="field inline">
        <span>Service</span>
        <select value={service} onChange={(event) => setService(event.target.value)}>
          <option value="">All services</option>
          {services.map((one) => (
            <option key={one}>{one}</option>
          ))}
        </select>
      </label>
      {following.state === 'failed' ? (
        <Problem error={following.error} retry={again} />
      ) : (
        <>
          <LogView lines={lines} label="Container output" empty="No output yet." />
          <p className="muted" role="status">
            {following.state === 'following'
              ? 'Following live.'
              : 'The output ended: the containers stopped. '}
            {following.state === 'ended' && (
              <button type="button" className="link" onClick={again}>
                Follow again
              </button>
            )}
          </p>
        </>
      )}
    </Section>
  );
}
