import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UNNAMED_WRITER } from '@testausdeploy/events';

const FILE = 'event-writer.json';

interface Recorded {
  writer: string;
  pid: number;
  /** Earlier runs' writer ids whose unfinished appends have not been looked for yet. */
  recover: string[];
}

export interface WriterIdentity {
  /** This run's writer id in the event log. */
  writer: string;
  /** The runs before, which are over: what they left unfinished at the end of the log may be removed. */
  recover: string[];
  /** To be called once the event store has started (and removed what those runs left): forgets them. */
  recovered(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function record(file: string, recorded: Recorded): Promise<void> {
  await writeFile(`${file}.new`, JSON.stringify(recorded), { mode: 0o600 });
  await rename(`${file}.new`, file);
}

/**
 * Claims the Manager's state directory as the event log's writer: a new writer id for this run, and the ids of
 * the runs before, which must be over (a Manager still running from the directory, by its recorded pid, is
 * refused). Only a writer, or its next run, removes an append it left unfinished (see docs/events.md). A
 * directory without the file had, if anything, a Manager from before writers were named.
 */
export async function claimWriterIdentity(stateDir: string): Promise<WriterIdentity> {
  const file = join(stateDir, FILE);
  const before = await readFile(file, 'utf8')
    .then((text) => JSON.parse(text) as Partial<Recorded>)
    .catch(() => null);
  const pid = typeof before?.pid === 'number' ? before.pid : null;
  if (pid !== null && pid !== process.pid && alive(pid)) {
    throw new Error(
      `another Manager (pid ${pid}) writes the event log from ${stateDir}; stop it first ` +
        `(if pid ${pid} is no Manager, remove ${file})`,
    );
  }
  const earlier = before
    ? [before.writer, ...(Array.isArray(before.recover) ? before.recover : [])]
    : [UNNAMED_WRITER];
  const recover = [...new Set(earlier.filter((id): id is string => typeof id === 'string'))];
  const writer = randomBytes(6).toString('hex');
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  // Until the store has started, the earlier runs stay listed: a start that fails looks for them again.
  await record(file, { writer, pid: process.pid, recover });
  return { writer, recover, recovered: () => record(file, { writer, pid: process.pid, recover: [] }) };
}
