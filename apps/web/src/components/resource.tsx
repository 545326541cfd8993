import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import type { LiveEvent } from '../api/live';
import { useLiveEvents } from './live';
import { Problem } from './problem';

export type Resource<T> =
  | { state: 'loading'; reload: () => void }
  | { state: 'failed'; error: ApiError; reload: () => void }
  | { state: 'ready'; data: T; reload: () => void };

export interface Refresh {
  /** Loads again this often while the page shows it: for what is not an event (usage, connections, output). */
  everyMs?: number;
  /** Loads again when a live event this says is about it arrives (several close together load once). */
  refreshOn?: (event: LiveEvent) => boolean;
}

/** The least time between two loads caused by live events. */
const SETTLE_MS = 250;

/**
 * Loads `load()` when `key` changes, and again as `refresh` says while the page shows it (refreshing in place:
 * a refresh that fails keeps what was shown and reports the failure).
 */
export function useResource<T>(load: () => Promise<T>, key: string, refresh: Refresh = {}): Resource<T> {
  const [resource, setResource] = useState<{ key: string; data?: T; error?: ApiError }>({ key });
  const loader = useRef(load);
  loader.current = load;
  const generation = useRef(0);
  const { everyMs, refreshOn } = refresh;

  const reload = useCallback(() => {
    const mine = ++generation.current;
    loader.current().then(
      (data) => mine === generation.current && setResource({ key, data }),
      (error: unknown) =>
        mine === generation.current &&
        setResource((before) => ({
          key,
          data: before.key === key ? before.data : undefined,
          error: asApiError(error),
        })),
    );
  }, [key]);

  useEffect(() => {
    reload();
    if (!everyMs) return;
    const timer = window.setInterval(reload, everyMs);
    return () => window.clearInterval(timer);
  }, [reload, everyMs]);

  const settling = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(settling.current), []);
  useLiveEvents((event) => {
    if (!refreshOn?.(event) || settling.current !== undefined) return;
    settling.current = window.setTimeout(() => {
      settling.current = undefined;
      reload();
    }, SETTLE_MS);
  });

  if (resource.key !== key) return { state: 'loading', reload };
  if (resource.data !== undefined) return { state: 'ready', data: resource.data, reload };
  if (resource.error) return { state: 'failed', error: resource.error, reload };
  return { state: 'loading', reload };
}

export function asApiError(error: unknown): ApiError {
  return error instanceof ApiError
    ? error
    : new ApiError(0, error instanceof Error ? error.message : String(error));
}

interface LoadedProps<T> {
  resource: Resource<T>;
  /** What to say when the data is there but holds nothing. */
  empty?: ReactNode;
  isEmpty?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}

/** Draws a resource: a loading line, the API's reason when it failed, an empty state, or the data. */
export function Loaded<T>({ resource, empty, isEmpty, children }: LoadedProps<T>) {
  if (resource.state === 'loading') {
    return (
      <p className="loading" role="status">
        Loading…
      </p>
    );
  }
  if (resource.state === 'failed') return <Problem error={resource.error} retry={resource.reload} />;
  const data = resource.data;
  const none = isEmpty ? isEmpty(data) : Array.isArray(data) && data.length === 0;
  if (none && empty) return <p className="empty">{empty}</p>;
  return <>{children(data)}</>;
}
