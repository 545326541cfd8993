import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** True for the root itself too. Compares path segments, so `/clone-evil` is not inside `/clone`. */
export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/**
 * Where an absolute path really leads: symlinks resolved as far as the path exists, the rest appended (Docker
 * creates a missing bind-mount source, so the part that does not exist yet is taken as written).
 */
export async function realTarget(target: string): Promise<string> {
  const rest: string[] = [];
  let current = path.resolve(target);
  for (;;) {
    try {
      return path.join(await fs.realpath(current), ...rest);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      const parent = path.dirname(current);
      if (parent === current) return path.join(current, ...rest);
      rest.unshift(path.basename(current));
      current = parent;
    }
  }
}
