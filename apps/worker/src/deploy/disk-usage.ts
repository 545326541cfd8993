import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Bytes directory trees take on disk together (`du -s -c -B1`, hard links counted once, symlinks not followed). */
export async function diskUsage(dirs: readonly string[]): Promise<number> {
  const { stdout } = await run('du', ['-s', '-c', '-B1', '--', ...dirs], { timeout: 60_000 });
  const total = stdout.trim().split('\n').at(-1) ?? '';
  const bytes = Number(total.split('\t')[0]);
  if (!Number.isSafeInteger(bytes)) throw new Error(`du printed "${stdout.trim()}" for ${dirs.join(', ')}`);
  return bytes;
}
