import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { followEvents, type LiveEvent, type LiveState } from '../api/live';

type Listener = (event: LiveEvent) => void;

interface Live {
  listeners: Set<Listener>;
  state: LiveState;
}

const LiveContext = createContext<Live>({ listeners: new Set(), state: { state: 'connecting' } });

/**
 * Follows the live events while someone is signed in and hands each to the pages that listen. `lost` is told
 * when the stream drops or the Manager ends it (signed out, expired, removed), to find out whether the caller
 * still gets in.
 */
export function LiveEvents({ children, lost }: { children: ReactNode; lost: () => void }) {
  const [listeners] = useState(() => new Set<Listener>());
  const [state, setState] = useState<LiveState>({ state: 'connecting' });
  const onLost = useRef(lost);
  onLost.current = lost;
  useEffect(
    () =>
      followEvents(
        (event) => listeners.forEach((listener) => listener(event)),
        (next) => {
          setState(next);
          if (next.state === 'ended' || next.state === 'dropped') onLost.current();
        },
      ),
    [listeners],
  );
  return <LiveContext.Provider value={{ listeners, state }}>{children}</LiveContext.Provider>;
}

/** A notice while the live events' connection is down. */
export function LiveNotice() {
  const { state } = useContext(LiveContext);
  if (state.state !== 'dropped') return null;
  return (
    <p className="notice" role="status">
      Live updates are cut off. Trying again in {Math.round(state.retryInMs / 1000)} s; what happens meanwhile
      is shown once they are back.
    </p>
  );
}

/** Calls `listener` with each live event while the component is shown. */
export function useLiveEvents(listener: Listener): void {
  const { listeners } = useContext(LiveContext);
  const current = useRef(listener);
  current.current = listener;
  useEffect(() => {
    const call: Listener = (event) => current.current(event);
    listeners.add(call);
    return () => void listeners.delete(call);
  }, [listeners]);
}
