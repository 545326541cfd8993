import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';

/** What to do about a master key file that is missing or wrong; the Manager says it and does not start. */
const HOW_TO_MAKE =
  'make one with `(umask 077; openssl rand -base64 32 > FILE)` (scripts/up.sh does), and keep it safe: ' +
  'without it, nothing sealed with it can be read again';

/**
 * The key that wraps every data key. It lives in a file outside the database (MASTER_KEY_FILE: 32 random bytes,
 * base64), so a copy of the database alone opens no secret. Read once at start; the Manager never makes one,
 * because a new key silently put in place of a lost one could read nothing sealed before.
 */
export class MasterKey {
  /** Names the key in what it wraps, so a wrong key is told apart from a damaged value. */
  readonly id: string;

  private constructor(readonly key: Buffer) {
    this.id = createHash('sha256').update('testausdeploy master key ').update(key).digest('hex').slice(0, 16);
  }

  static load(file: string): MasterKey {
    const text = readKeyFile(file);
    const key = Buffer.from(text, 'base64');
    if (key.length !== 32 || key.toString('base64') !== text) {
      throw new Error(
        `MASTER_KEY_FILE ${file} does not hold 32 bytes in base64; if it was never used, ${HOW_TO_MAKE.replace('FILE', file)}`,
      );
    }
    return new MasterKey(key);
  }
}

/**
 * The master key; during a rotation the one it replaces (MASTER_KEY_PREVIOUS_FILE); and the id of one declared
 * lost (MASTER_KEY_LOST), whose data keys are replaced.
 */
export class MasterKeys {
  constructor(
    readonly current: MasterKey,
    readonly previous: MasterKey | null,
    readonly lost: string | null,
  ) {}

  static load(config: {
    MASTER_KEY_FILE: string;
    MASTER_KEY_PREVIOUS_FILE?: string;
    MASTER_KEY_LOST?: string;
  }): MasterKeys {
    const previous = config.MASTER_KEY_PREVIOUS_FILE;
    return new MasterKeys(
      MasterKey.load(config.MASTER_KEY_FILE),
      previous ? MasterKey.load(previous) : null,
      config.MASTER_KEY_LOST ?? null,
    );
  }
}

/** The file's text, if only its owner may read it; a missing one is told how to make, not any other. */
function readKeyFile(file: string): string {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(
      `MASTER_KEY_FILE ${file}: ${missing ? `there is no such file; ${HOW_TO_MAKE.replace('FILE', file)}` : (error as Error).message}`,
      { cause: error },
    );
  }
  if (mode & 0o077) {
    throw new Error(
      `MASTER_KEY_FILE ${file} can be read by others than its owner (mode ${(mode & 0o777).toString(8)}): chmod 600 it`,
    );
  }
  return readFileSync(file, 'utf8').trim();
}
