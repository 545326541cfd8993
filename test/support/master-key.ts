import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let file: string | undefined;

/**
 * A master key file for the Managers a test process starts, made once per process: a Manager started again on
 * the same database must open what the one before it sealed.
 */
export function testMasterKeyFile(): string {
  if (!file) {
    const dir = mkdtempSync(join(tmpdir(), 'master-key-'));
    file = join(dir, 'master.key');
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return file;
}
