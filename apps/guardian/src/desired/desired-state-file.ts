import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ZodType } from 'zod';

/**
 * The last state applied (firewall rules, proxy routes), kept on disk so a restarted Guardian restores the
 * Manager's wishes at once instead of waiting until the Manager reconnects. Written to a temporary file and
 * renamed, so a crash leaves the old file or the new one, never half of one.
 */
export class DesiredStateFile<S> {
  constructor(
    private readonly path: string,
    private readonly schema: ZodType<S>,
  ) {}

  async load(): Promise<S | null> {
    const text = await readFile(this.path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    return text === null ? null : this.schema.parse(JSON.parse(text));
  }

  async save(state: S): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(state), { mode: 0o600 });
    await rename(temporary, this.path);
  }
}
