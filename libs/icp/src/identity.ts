import { execFile } from 'node:child_process';
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A service's own TLS identity: private key, self-signed certificate and the public-key fingerprint peers pin.
 * The abstract class doubles as the dependency-injection token.
 */
export interface Identity {
  key: string;
  cert: string;
  fingerprint: string;
}
export abstract class Identity {}

/** SHA-256 over the DER SubjectPublicKeyInfo: survives certificate renewal as long as the key stays. */
export function publicKeyFingerprint(cert: X509Certificate | string | Buffer): string {
  const x509 = cert instanceof X509Certificate ? cert : new X509Certificate(cert);
  const spki = x509.publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('hex');
}

/**
 * Loads the identity kept in `dir`, creating it on first start. Key and certificate are written with mode 0600
 * into a 0700 directory, and only renamed into place once both exist, so a crash never leaves half an identity.
 */
export async function loadOrCreateIdentity(dir: string, commonName: string): Promise<Identity> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  try {
    const [key, cert] = await Promise.all([readFile(keyFile(dir), 'utf8'), readFile(certFile(dir), 'utf8')]);
    if (!new X509Certificate(cert).checkPrivateKey(createPrivateKey(key))) {
      throw new Error(
        `${keyFile(dir)} is not the key of ${certFile(dir)} (an interrupted rotation?): run rotate-key`,
      );
    }
    return { key, cert, fingerprint: publicKeyFingerprint(cert) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await writeIdentity(dir, commonName);
  return loadOrCreateIdentity(dir, commonName);
}

/**
 * Replaces the identity in `dir` with a new key and certificate; the old private key is gone afterwards. A
 * running service keeps using the old one until it reloads (SIGHUP) or restarts, so peers can be told the new
 * fingerprint first (see docs/icp.md, "Rotating keys").
 */
export async function rotateIdentity(dir: string, commonName: string): Promise<Identity> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeIdentity(dir, commonName);
  return loadOrCreateIdentity(dir, commonName);
}

const keyFile = (dir: string) => join(dir, 'icp-key.pem');
const certFile = (dir: string) => join(dir, 'icp-cert.pem');

/** A new EC P-256 key and self-signed certificate, moved into place certificate first, key last. */
async function writeIdentity(dir: string, commonName: string): Promise<void> {
  const tmpKey = `${keyFile(dir)}.${process.pid}.tmp`;
  const tmpCert = `${certFile(dir)}.${process.pid}.tmp`;
  try {
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      tmpKey,
      '-out',
      tmpCert,
      '-days',
      '3650',
      '-subj',
      `/CN=${commonName}`,
    ]);
    await Promise.all([chmod(tmpKey, 0o600), chmod(tmpCert, 0o600)]);
    await rename(tmpCert, certFile(dir));
    await rename(tmpKey, keyFile(dir));
  } finally {
    await Promise.all([rm(tmpKey, { force: true }), rm(tmpCert, { force: true })]);
  }
}
