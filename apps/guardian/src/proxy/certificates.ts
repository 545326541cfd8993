import { X509Certificate } from 'node:crypto';
import { access, open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CertificateState } from '@testausdeploy/icp';
import { StoredCertificate, wildcardOf } from './caddy-config';

/** How much of the end of Caddy's certificate log is read: its newest attempts, whatever its size. */
const LOG_TAIL_BYTES = 256 * 1024;
/** A failure's reason as reported, at most this long. */
const MAX_REASON = 500;

interface Validity {
  notBefore: Date;
  notAfter: Date;
}

/** A PEM certificate's (the first of a chain) validity; null when it is no certificate. */
function validity(pem: Buffer): Validity | null {
  try {
    const certificate = new X509Certificate(pem);
    return { notBefore: new Date(certificate.validFrom), notAfter: new Date(certificate.validTo) };
  } catch {
    return null;
  }
}

/**
 * Each host name's certificate as Caddy holds it (its own, or its wildcard domain's), from Caddy's storage
 * (`certificates/<issuer>/<name>/<name>.crt`)
 * and, for why one is missing, from the newest attempts in its certificate log (`could not get certificate`,
 * cleared by `certificate obtained successfully`).
 */
export class Certificates {
  constructor(
    private readonly dataDir: string,
    private readonly log: string,
    private readonly wildcardDomains: string[] = [],
  ) {}

  /** The certificate that serves `host`: its own, or its wildcard domain's (caddy-config.ts). */
  private nameOf(host: string): string {
    return wildcardOf(host, this.wildcardDomains) ?? host;
  }

  async of(hosts: string[], now = new Date()): Promise<CertificateState[]> {
    if (hosts.length === 0) return [];
    const [issuers, failures] = await Promise.all([this.issuers(), this.failures()]);
    return Promise.all(
      hosts.map(async (host): Promise<CertificateState> => {
        const name = this.nameOf(host);
        const certificate = await this.newest(issuers, name);
        const reason = failures.get(name) ?? null;
        if (!certificate || certificate.notAfter <= now) {
          return { host, state: reason ? 'failed' : 'pending', notAfter: null, reason };
        }
        const from = certificate.notBefore.getTime();
        const to = certificate.notAfter.getTime();
        const renewing = to - now.getTime() < (to - from) / 3;
        return {
          host,
          state: renewing ? 'renewing' : 'issued',
          notAfter: certificate.notAfter.toISOString(),
          reason,
        };
      }),
    );
  }

  /**
   * The storage keys of each host name's newest certificate still valid, with its key: what a configuration loads
   * so the certificates are there the moment it serves.
   */
  async stored(hosts: string[], now = new Date()): Promise<StoredCertificate[]> {
    if (hosts.length === 0) return [];
    const issuers = await this.issuers();
    const names = [...new Set(hosts.map((host) => this.nameOf(host)))];
    const found = await Promise.all(
      names.map(async (name) => {
        const held = await Promise.all(
          issuers.map(async (issuer) => {
            const base = join('certificates', issuer, storageName(name), storageName(name));
            const [certificate, key] = await Promise.all([
              readFile(join(this.dataDir, `${base}.crt`)).then(validity, () => null),
              access(join(this.dataDir, `${base}.key`)).then(
                () => true,
                () => false,
              ),
            ]);
            return certificate && key && certificate.notAfter > now
              ? { certificate: `${base}.crt`, key: `${base}.key`, notAfter: certificate.notAfter }
              : null;
          }),
        );
        const newest = held
          .filter((one) => one !== null)
          .reduce<(typeof held)[number]>(
            (best, one) => (!best || one!.notAfter > best.notAfter ? one : best),
            null,
          );
        return newest ? [{ certificate: newest.certificate, key: newest.key }] : [];
      }),
    );
    return found.flat();
  }

  private async issuers(): Promise<string[]> {
    return readdir(join(this.dataDir, 'certificates')).catch(() => []);
  }

  /** When the certificate named `name` that lasts longest, of any issuer, is valid. */
  private async newest(issuers: string[], name: string): Promise<Validity | null> {
    const stored = storageName(name);
    const found = await Promise.all(
      issuers.map((issuer) =>
        readFile(join(this.dataDir, 'certificates', issuer, stored, `${stored}.crt`)).then(
          validity,
          () => null,
        ),
      ),
    );
    return found
      .filter((one): one is Validity => one !== null)
      .reduce<Validity | null>((best, one) => (!best || one.notAfter > best.notAfter ? one : best), null);
  }

  /** The host names whose newest attempt failed, with why. */
  private async failures(): Promise<Map<string, string>> {
    const failed = new Map<string, string>();
    for (const line of await this.tail()) {
      let entry: { msg?: unknown; identifier?: unknown; error?: unknown };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        continue;
      }
      if (typeof entry.identifier !== 'string') continue;
      if (entry.msg === 'certificate obtained successfully') failed.delete(entry.identifier);
      else if (entry.msg === 'could not get certificate from issuer' && typeof entry.error === 'string') {
        failed.set(entry.identifier, entry.error.slice(0, MAX_REASON));
      }
    }
    return failed;
  }

  /** The whole lines of the log's last LOG_TAIL_BYTES (none without a log). */
  private async tail(): Promise<string[]> {
    const file = await open(this.log, 'r').catch(() => null);
    if (!file) return [];
    try {
      const { size } = await file.stat();
      const start = Math.max(0, size - LOG_TAIL_BYTES);
      const { buffer, bytesRead } = await file.read(Buffer.alloc(size - start), 0, size - start, start);
      const lines = buffer.subarray(0, bytesRead).toString('utf8').split('\n');
      return start > 0 ? lines.slice(1) : lines;
    } finally {
      await file.close();
    }
  }
}

/** A certificate's name as Caddy's storage keys it: `*.apps.example.org` is `wildcard_.apps.example.org`. */
const storageName = (name: string) => name.replace(/^\*\./, 'wildcard_.');
