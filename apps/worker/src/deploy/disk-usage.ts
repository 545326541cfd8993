import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Bytes a directory tree takes on disk (`du -s -B1`, hard links counted once, not following symlinks). */
export async function diskUsage(dir: string): Promise<number> {
  const { stdout } = await run('du', ['-s', '-B1', '--', dir], { timeout: 60_000 });
  const bytes = Number(stdout.split('\t')[0]);
  if (!Number.isSafeInteger(bytes)) throw new Error(`du printed "${stdout.trim()}" for ${dir}`);
  return bytes;
}
