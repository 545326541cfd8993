import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** True for the root itself too. Compares path segments, so `/checkout-evil` is not inside `/checkout`. */
export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/** A path runs into more symlinks than the kernel would follow (a loop). */
export class SymlinkLoop extends Error {
  override readonly name = 'SymlinkLoop';
}

const MAX_HOPS = 40;

/**
 * Where an absolute path really leads: every symlink on the way followed, dangling ones too (their target is
 * where the path leads, whether it exists or not: dockerd would follow it once something is there), and the part
 * that does not exist appended as written (Docker creates a missing bind-mount source). The result names no
 * symlink that exists now.
 */
export async function realTarget(target: string): Promise<string> {
  const hops = { left: MAX_HOPS };
  return resolve(path.resolve(target), hops);
}

async function resolve(target: string, hops: { left: number }): Promise<string> {
  const parts = target.split(path.sep).filter(Boolean);
  let current: string = path.sep;
  for (const [index, part] of parts.entries()) {
    const next = path.join(current, part);
    const stat = await fs.lstat(next).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null;
      throw error;
    });
    if (!stat) return path.join(next, ...parts.slice(index + 1));
    if (!stat.isSymbolicLink()) {
      current = next;
      continue;
    }
    if (--hops.left < 0) throw new SymlinkLoop(`${target} runs into a symlink loop`);
    current = await resolve(path.resolve(current, await fs.readlink(next)), hops);
  }
  return current;
}
