import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { caddyConfig, configDifferences, ProxySettings, wildcardOf } from './caddy-config';

const settings: ProxySettings = {
  adminSocket: '/run/admin.sock',
  httpPort: 80,
  httpsPort: 443,
  dataDir: '/var/lib/caddy',
  accessLog: '/var/log/access.log',
  tlsLog: '/var/log/tls.log',
  tls: 'acme',
  wildcardDomains: ['apps.example.org'],
  dnsProvider: { name: 'rfc2136', key_name: 'acme', key: 's3cret', server: '10.0.0.53:53' },
  dnsResolvers: [],
};

const route = (hosts: string[]) => ({
  owner: 'project:org/site',
  hosts,
  upstreams: [{ address: '10.88.0.2', port: 8080 }],
});

describe("Caddy's configuration", () => {
  it('covers a name one label under a wildcard domain, and no other', () => {
    assert.equal(wildcardOf('site.apps.example.org', ['apps.example.org']), '*.apps.example.org');
    assert.equal(wildcardOf('a.b.apps.example.org', ['apps.example.org']), null);
    assert.equal(wildcardOf('apps.example.org', ['apps.example.org']), null);
    assert.equal(wildcardOf('site.myapps.example.org', ['apps.example.org']), null);
  });

  it('gets the wildcard over DNS-01 for the names it covers, and a certificate of its own for each other name', () => {
    const config = caddyConfig(
      { routes: [route(['site.apps.example.org', 'www.example.com'])] },
      settings,
    ) as {
      apps: { http: { servers: { apps: { automatic_https: unknown } } }; tls: Record<string, unknown> };
    };
    assert.deepEqual(config.apps.http.servers.apps.automatic_https, {
      ignore_loaded_certificates: true,
      skip_certificates: ['site.apps.example.org'],
    });
    assert.deepEqual(config.apps.tls, {
      automation: {
        policies: [
          {
            subjects: ['*.apps.example.org'],
            issuers: [{ module: 'acme', challenges: { dns: { provider: settings.dnsProvider } } }],
          },
          { subjects: ['www.example.com'], issuers: [{ module: 'acme' }] },
        ],
      },
      certificates: { automate: ['*.apps.example.org'] },
    });
  });

  it("says where the DNS provider's settings drifted, never what they hold", () => {
    const loaded = caddyConfig({ routes: [route(['site.apps.example.org'])] }, settings);
    const changed = caddyConfig(
      { routes: [route(['site.apps.example.org'])] },
      {
        ...settings,
        dnsProvider: { ...settings.dnsProvider, key: 'other' },
      },
    );
    const found = configDifferences(loaded, changed);
    assert.equal(found.length, 1);
    assert.match(
      found[0],
      /^apps\.tls\.automation\.policies\[0\]\.issuers\[0\]\.challenges\.dns\.provider is "digest:/,
    );
    // The same settings in another key order (as Caddy may read them back) are no difference.
    const reordered = caddyConfig(
      { routes: [route(['site.apps.example.org'])] },
      {
        ...settings,
        dnsProvider: Object.fromEntries(Object.entries(settings.dnsProvider ?? {}).reverse()),
      },
    );
    assert.deepEqual(configDifferences(loaded, reordered), []);
    // Nor when the read-back holds something else in the place of what holds it.
    const replaced = JSON.parse(JSON.stringify(loaded)) as {
      apps: { tls: { automation: { policies: unknown[] } } };
    };
    replaced.apps.tls.automation.policies[0] = 'gone';
    const parent = configDifferences(loaded, replaced);
    assert.match(parent[0], /^apps\.tls\.automation\.policies\[0\] is "gone", not /);
    assert.ok(![...found, ...parent].join().includes('s3cret'), 'the secret was in a drift report');
  });
});
