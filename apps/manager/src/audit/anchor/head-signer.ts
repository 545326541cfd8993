import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, sign, verify } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { CommittedEnd } from '@testausdeploy/events';

const KEY_FILE = 'audit-anchor-key.pem';
const HEAD_FILE = 'audit-anchor.json';

/** The event log's head as the Manager signed it, kept outside the database. */
export interface SignedHead extends CommittedEnd {
  signedAt: string;
  /** Ed25519 over the purpose, position, hash and time (see `signedBytes`), base64. */
  signature: string;
}

/** What the head file holds: a signed head, or why it cannot be read as one. */
export type RecordedHead = { head: SignedHead } | { unreadable: string } | null;

const signedBytes = ({ position, hash, signedAt }: Omit<SignedHead, 'signature'>) =>
  Buffer.from(`testausdeploy audit head\n${position}\n${hash}\n${signedAt}`);

/** Writes `text` to `file` whole or not at all, on disk before it returns. */
async function writeDurably(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.new`;
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
  const directory = await open(join(file, '..'), 'r');
  await directory.sync().finally(() => directory.close());
}

/**
 * Signs the event log's head with a key of the Manager's own and keeps the newest signed head in its state
 * directory, where whoever can write the database cannot. The chain links every event to the one before, so the
 * newest signed head vouches for the whole log up to it.
 */
export class HeadSigner {
  private constructor(
    private readonly key: KeyObject,
    private readonly publicKey: KeyObject,
    private readonly file: string,
  ) {}

  /** The signer of `stateDir`, making its key on first use (0600, in a 0700 directory). */
  static async open(stateDir: string): Promise<HeadSigner> {
    await mkdir(stateDir, { recursive: true, mode: 0o700 });
    const keyFile = join(stateDir, KEY_FILE);
    const pem = await readFile(keyFile, 'utf8').catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
      const made = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' });
      await writeDurably(keyFile, made.toString());
      return made.toString();
    });
    const key = createPrivateKey(pem);
    return new HeadSigner(key, createPublicKey(key), join(stateDir, HEAD_FILE));
  }

  sign(end: CommittedEnd, at = new Date()): SignedHead {
    const unsigned = { position: end.position, hash: end.hash, signedAt: at.toISOString() };
    return { ...unsigned, signature: sign(null, signedBytes(unsigned), this.key).toString('base64') };
  }

  /** Whether `head` was signed with this Manager's key, unchanged. */
  private genuine(head: SignedHead): boolean {
    return verify(null, signedBytes(head), this.publicKey, Buffer.from(head.signature, 'base64'));
  }

  async record(head: SignedHead): Promise<void> {
    await writeDurably(this.file, `${JSON.stringify(head)}\n`);
  }

  async recorded(): Promise<RecordedHead> {
    const text = await readFile(this.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (text === null) return null;
    try {
      const head = JSON.parse(text) as SignedHead;
      if (
        Number.isSafeInteger(head.position) &&
        typeof head.hash === 'string' &&
        typeof head.signedAt === 'string' &&
        typeof head.signature === 'string' &&
        this.genuine(head)
      ) {
        return { head };
      }
    } catch {
      // falls through: not JSON
    }
    return { unreadable: `${this.file} does not hold a head signed with this Manager's anchor key` };
  }
}
