import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const FILE = 'event-writer.json';

export interface WriterIdentity {
  /** This run's writer id in the event log. */
  writer: string;
  /** The previous run's, which is dead: what it left unfinished at the end of the log may be removed. */
  previous?: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claims the Manager's state directory as the event log's writer: a new writer id for this run, and the one of
 * the run before, which must be over (a Manager still running from the directory, by its recorded pid, is
 * refused). Only a writer, or its next run, removes an append it left unfinished (see docs/events.md).
 */
export async function claimWriterIdentity(stateDir: string): Promise<WriterIdentity> {
  const file = join(stateDir, FILE);
  const before = await readFile(file, 'utf8')
    .then((text) => JSON.parse(text) as { writer?: unknown; pid?: unknown })
    .catch(() => null);
  const pid = typeof before?.pid === 'number' ? before.pid : null;
  if (pid !== null && pid !== process.pid && alive(pid)) {
    throw new Error(
      `another Manager (pid ${pid}) writes the event log from ${stateDir}; stop it first ` +
        `(if pid ${pid} is no Manager, remove ${file})`,
    );
  }
  const writer = randomBytes(6).toString('hex');
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  await writeFile(`${file}.new`, JSON.stringify({ writer, pid: process.pid }), { mode: 0o600 });
  await rename(`${file}.new`, file);
  return { writer, ...(typeof before?.writer === 'string' && { previous: before.writer }) };
}
