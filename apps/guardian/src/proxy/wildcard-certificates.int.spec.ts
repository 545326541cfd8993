import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { createServer, Server } from 'node:http';
import * as https from 'node:https';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { proxyState, ProxyState } from '@testausdeploy/icp';
import { acmeDnsDir, caddyDnsTools, DnsStandIn, Pebble } from '../../../../test/support/acme-dns';
import { CaddyUnderTest } from '../../../../test/support/caddy';
import { eventually } from '../../../../test/support/ports';
import { loadGuardianConfig } from '../config/guardian-config';
import { DesiredStateFile } from '../desired/desired-state-file';
import { CaddyAdmin } from './caddy-admin';
import { ReverseProxy } from './reverse-proxy';

const ZONE = 'apps.test';

/** What a host name answers over HTTPS through the proxy, trusting only `ca`, and the certificate it was served. */
function fetchOver(caddy: CaddyUnderTest, host: string, ca: string) {
  return new Promise<{ body: string; subject: string; fingerprint: string }>((resolve, reject) => {
    const req = https.get(
      {
        host: '127.0.0.1',
        port: caddy.httpsPort,
        path: '/',
        servername: host,
        headers: { host },
        ca,
        agent: false,
      },
      (res) => {
        const certificate = (res.socket as TLSSocket).getPeerCertificate();
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () =>
          resolve({
            body,
            subject: certificate.subjectaltname ?? '',
            fingerprint: certificate.fingerprint256,
          }),
        );
      },
    );
    req.on('error', reject);
  });
}

// A wildcard certificate over ACME's DNS-01 challenge, end to end on 127.0.0.1: the Guardian loads the routes into a
// Caddy built with the rfc2136 DNS provider (tools/caddy-dns), which gets `*.apps.test` from pebble (Let's
// Encrypt's ACME test CA) by writing the challenge's TXT record into the DNS stand-in with a signed RFC 2136
// update, and pebble checks it there. The upstreams are HTTP servers on 127.0.0.x (UPSTREAM_SUBNETS lets routes
// reach loopback, which production never does).
// Where the machine has no Go to build them with, the tests' provisioning says so and this is skipped.
const built = process.env.TEST_CADDY_DNS
  ? {}
  : { skip: 'no Caddy with a DNS provider: it needs Go 1.21 or newer' };

describe(
  'wildcard certificates over DNS-01, with a real Caddy, pebble and a DNS server on 127.0.0.1',
  built,
  () => {
    let dir: string;
    let dns: DnsStandIn;
    let pebble: Pebble;
    let caddy: CaddyUnderTest;
    let proxy: ReverseProxy;
    const upstreams: Server[] = [];

    async function upstream(address: string, says: string) {
      const server = createServer((_req, res) => res.end(says));
      await new Promise<void>((resolve) => server.listen(0, address, resolve));
      upstreams.push(server);
      return { address, port: (server.address() as AddressInfo).port };
    }

    before(async () => {
      dir = await acmeDnsDir();
      dns = await DnsStandIn.start(ZONE, dir);
      pebble = await Pebble.start(dns.address, dir);
      caddy = await CaddyUnderTest.start(undefined, undefined, caddyDnsTools().caddy);
      const config = loadGuardianConfig(
        { host: '127.0.0.1', port: 7999, stateDir: dir, trustFile: join(dir, 'trust'), logLevel: 'silent' },
        {
          ...caddy.guardianEnv(),
          PROXY_TLS: 'acme',
          ACME_CA: pebble.directory,
          ACME_CA_ROOT: caddyDnsTools().pebbleCa,
          PROXY_WILDCARD_DOMAINS: ZONE,
          PROXY_DNS_PROVIDER: JSON.stringify(dns.provider()),
          PROXY_DNS_RESOLVERS: dns.address,
          UPSTREAM_SUBNETS: '127.0.0.0/8',
          RECONCILE_INTERVAL_MS: '3600000',
        },
      );
      proxy = new ReverseProxy(
        config,
        new CaddyAdmin(config.PROXY_ADMIN_SOCKET as string),
        new DesiredStateFile<ProxyState>(join(dir, 'routes.json'), proxyState),
      );
      await proxy.onApplicationBootstrap();
    });

    after(async () => {
      await proxy?.onApplicationShutdown();
      for (const server of upstreams) server.close();
      await caddy?.remove();
      await pebble?.stop();
      await dns?.stop();
      if (dir) await fs.rm(dir, { recursive: true, force: true });
    });

    it('serves two projects under the wildcard domain with one certificate for *.apps.test, issued by the ACME CA', async () => {
      const [one, two] = [await upstream('127.0.0.2', 'one'), await upstream('127.0.0.3', 'two')];
      await proxy.replace({
        routes: [
          { owner: 'project:org/one', hosts: [`one.${ZONE}`], upstreams: [one] },
          { owner: 'project:org/two', hosts: [`two.${ZONE}`], upstreams: [two] },
        ],
      });
      const root = await pebble.root();
      const first = await eventually(() => fetchOver(caddy, `one.${ZONE}`, root), 60_000);
      const second = await fetchOver(caddy, `two.${ZONE}`, root);
      assert.deepEqual([first.body, second.body], ['one', 'two']);
      assert.equal(first.subject, `DNS:*.${ZONE}`);
      assert.equal(
        second.fingerprint,
        first.fingerprint,
        'the two host names were served different certificates',
      );
      const report = await proxy.reconcile();
      assert.deepEqual(
        report.certificates.map(({ host, state }) => [host, state]),
        [
          [`one.${ZONE}`, 'issued'],
          [`two.${ZONE}`, 'issued'],
        ],
      );
      assert.deepEqual(report.drift, []);
      // Only the wildcard certificate was got: no host name has one of its own.
      const issuers = await fs.readdir(join(caddy.dataDir, 'certificates'));
      const names = (
        await Promise.all(issuers.map((issuer) => fs.readdir(join(caddy.dataDir, 'certificates', issuer))))
      ).flat();
      assert.deepEqual(names, [`wildcard_.${ZONE}`]);
    });
  },
);
