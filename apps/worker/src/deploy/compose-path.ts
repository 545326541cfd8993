import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isInside } from './policy/checkout-paths';

/** The compose path a user gave cannot be used; `reason` says what to change. */
export class ComposePathError extends Error {
  override readonly name = 'ComposePathError';

  constructor(readonly reason: string) {
    super(reason);
  }
}

function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
}

/**
 * Resolves a user-supplied compose path to the real absolute path of a regular file inside the checkout.
 * The path comes from the user and the checkout's content from their repository, so both the lexical path and
 * every symlink on the way are distrusted.
 */
export async function resolveComposePath(checkoutDir: string, composePath: string): Promise<string> {
  if (composePath.trim() === '') {
    throw new ComposePathError('the compose path is empty: give a path relative to the repository root');
  }
  if (composePath.includes('\0')) {
    throw new ComposePathError('the compose path contains a NUL character');
  }
  if (path.isAbsolute(composePath)) {
    throw new ComposePathError(
      `the compose path "${composePath}" is absolute: give a path relative to the repository root`,
    );
  }
  const normalized = path.normalize(composePath);
  if (normalized === '..' || normalized.startsWith(`..${path.sep}`)) {
    throw new ComposePathError(`the compose path "${composePath}" points outside the repository`);
  }

  // The checkout directory itself may sit behind a symlink (e.g. /tmp on some hosts); compare real paths only.
  const realCheckout = await fs.realpath(checkoutDir);
  let realFile: string;
  try {
    realFile = await fs.realpath(path.join(realCheckout, normalized));
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new ComposePathError(`the compose file "${composePath}" does not exist in the repository`);
    }
    if (code === 'ELOOP') {
      throw new ComposePathError(`the compose path "${composePath}" runs into a symlink loop`);
    }
    if (code === 'EACCES') {
      throw new ComposePathError(`the compose file "${composePath}" is not readable`);
    }
    throw err;
  }
  if (!isInside(realCheckout, realFile)) {
    throw new ComposePathError(
      `the compose path "${composePath}" goes through a symlink that points outside the repository`,
    );
  }
  const stat = await fs.stat(realFile);
  if (!stat.isFile()) {
    throw new ComposePathError(`the compose path "${composePath}" is not a regular file`);
  }
  return realFile;
}
