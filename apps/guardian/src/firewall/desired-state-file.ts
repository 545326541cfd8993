import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FirewallState, firewallState } from '@testausdeploy/icp';

/**
 * The last state applied, kept on disk so a restarted Guardian restores the Manager's rules at once instead of
 * leaving ports closed (or open) until the Manager reconnects. Written to a temporary file and renamed, so a
 * crash leaves the old file or the new one, never half of one.
 */
export class DesiredStateFile {
  constructor(private readonly path: string) {}

  async load(): Promise<FirewallState | null> {
    const text = await readFile(this.path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    return text === null ? null : firewallState.parse(JSON.parse(text));
  }

  async save(state: FirewallState): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(state), { mode: 0o600 });
    await rename(temporary, this.path);
  }
}
