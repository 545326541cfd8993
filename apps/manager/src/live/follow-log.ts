import { EventStore, StoredEvent } from '@testausdeploy/events';

/** Most events read from the log at a time. */
const BATCH = 500;

/**
 * The committed events after `after`, in position order, batch by batch as they are committed: woken at once by
 * this process's appends, and polling every `pollMs` for other processes'. Ends when `signal` aborts. A cursor
 * over the log itself, so a follower that starts from a position sees every event after it, exactly once.
 */
export async function* followLog(
  store: EventStore,
  after: number,
  signal: AbortSignal,
  pollMs = 1000,
): AsyncGenerator<StoredEvent[]> {
  let position = after;
  let appended: boolean;
  let wake = () => undefined as void;
  const stopListening = store.onAppend(() => {
    appended = true;
    wake();
  });
  const onAbort = () => wake();
  signal.addEventListener('abort', onAbort);
  try {
    while (!signal.aborted) {
      appended = false;
      const events = await store.readAll(position, BATCH);
      if (events.length > 0) {
        position = events[events.length - 1].position;
        yield events;
      } else if (!appended && !signal.aborted) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = () => undefined;
      }
    }
  } finally {
    stopListening();
    signal.removeEventListener('abort', onAbort);
  }
}
