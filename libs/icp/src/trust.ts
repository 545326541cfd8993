import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { TLSSocket } from 'node:tls';
import { publicKeyFingerprint } from './identity';

const FINGERPRINT = /^[0-9a-f]{64}$/;

/**
 * Reads a trust file: the pinned public-key fingerprints (64 hex digits) of the Managers this node serves, one
 * per line; blank lines and `#` comments are ignored. Two lines while the Manager's key is being rotated.
 */
export async function readTrustFile(file: string): Promise<string[]> {
  const lines = (await readFile(file, 'utf8'))
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim().toLowerCase())
    .filter((line) => line.length > 0);
  const bad = lines.find((line) => !FINGERPRINT.test(line));
  if (bad !== undefined || lines.length === 0) {
    throw new Error(`trust file ${file} must hold SHA-256 public-key fingerprints, one per line`);
  }
  return lines;
}

/** The peer's certificate at the other end of a TLS socket, with its pinned fingerprint; null if it sent none. */
export function peerCertificate(socket: TLSSocket): { x509: X509Certificate; fingerprint: string } | null {
  const x509 = socket.getPeerX509Certificate();
  return x509 ? { x509, fingerprint: publicKeyFingerprint(x509) } : null;
}

/**
 * Why a peer certificate must be refused even though its key is pinned (outside its validity period), or null.
 * Pinning replaces the CA, not the certificate's own dates: an expired certificate is not used, so a key whose
 * certificate has lapsed has to be renewed on purpose.
 */
export function certificateProblem(x509: X509Certificate, now = new Date()): string | null {
  if (now < new Date(x509.validFrom)) return `certificate not valid before ${x509.validFrom}`;
  if (now > new Date(x509.validTo)) return `certificate expired on ${x509.validTo}`;
  return null;
}
