import type { Response } from 'express';
import { LogReader } from './project-logs';

/** Output held for a client that reads slower than lines come; lines beyond are skipped, and it says so. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/**
 * Streams lines as chunked `text/plain`, one per line, until the reading ends, the client goes away or the
 * Manager stops (`stopping`); either of the last two aborts the reading (on the Worker too, through ICP's cancel).
 * A failure or the stop can only be told in the body once the headers went out: as a last line starting with `…`.
 */
export async function streamLines(res: Response, read: LogReader, stopping: AbortSignal): Promise<void> {
  const abort = new AbortController();
  res.on('close', () => abort.abort('the HTTP client went away'));
  const stop = () => abort.abort('the Manager is stopping');
  stopping.addEventListener('abort', stop, { once: true });
  // The stop may have begun while the reading was being opened: then its event has already been.
  if (stopping.aborted) stop();
  res.status(200).set({
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
  });
  res.flushHeaders();
  let skipped = 0;
  const write = (line: string) => {
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      skipped++;
      return;
    }
    if (skipped) res.write(`… ${skipped} lines skipped: the client read too slowly\n`);
    skipped = 0;
    res.write(`${line}\n`);
  };
  try {
    await read(write, abort.signal);
  } catch (error) {
    if (!abort.signal.aborted) res.write(`… ${(error as Error).message}\n`);
  } finally {
    stopping.removeEventListener('abort', stop);
  }
  if (stopping.aborted && !res.destroyed) res.write('… the Manager is stopping: follow again in a moment\n');
  res.end();
}
