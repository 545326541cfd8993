import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '@testausdeploy/service';
import { loadGuardianConfig } from './guardian-config';

const node = {
  host: '127.0.0.1',
  port: 7555,
  stateDir: '/tmp/g',
  trustFile: '/tmp/g/t',
  logLevel: 'info' as const,
};

describe('Guardian configuration', () => {
  it('reads ranges and subnets, and always reserves its own ICP port', () => {
    const config = loadGuardianConfig(node, { PORT_RANGES: '8000-8099, 22000', RESERVED_PORTS: '22' });
    assert.deepEqual(config.PORT_RANGES, [
      { from: 8000, to: 8099 },
      { from: 22000, to: 22000 },
    ]);
    assert.deepEqual(config.RESERVED_PORTS, [
      { from: 22, to: 22 },
      { from: 7555, to: 7555 },
    ]);
    assert.equal(config.CONTAINER_SUBNETS[0].text, '10.87.0.0/24');
  });

  it('lists every bad setting', () => {
    assert.throws(
      () =>
        loadGuardianConfig(node, {
          PORT_RANGES: '8000-7000,abc',
          CONTAINER_SUBNETS: '10.87.0.1/24',
          CONTAINER_BRIDGES: 'a bridge',
          GUARDIAN_NETNS: '../x',
        }),
      (error: ConfigError) =>
        error.problems.length === 4 &&
        /PORT_RANGES: not a port or port range: 8000-7000, abc/.test(error.message) &&
        /CONTAINER_SUBNETS: not an IPv4 subnet: 10.87.0.1\/24/.test(error.message),
    );
  });

  it('has no proxy unless told where its admin socket is, and checks the proxy settings', () => {
    const plain = loadGuardianConfig(node, {});
    assert.equal(plain.PROXY_ADMIN_SOCKET, undefined);
    assert.deepEqual([plain.PROXY_HTTP_PORT, plain.PROXY_HTTPS_PORT, plain.PROXY_TLS], [80, 443, 'acme']);
    assert.equal(plain.UPSTREAM_SUBNETS[0].text, '10.88.0.0/16');
    assert.throws(
      () =>
        loadGuardianConfig(node, {
          PROXY_ADMIN_SOCKET: 'admin.sock',
          PROXY_TLS: 'self-signed',
          ACME_EMAIL: 'nobody',
          UPSTREAM_SUBNETS: '127.0.0.1/8',
        }),
      (error: ConfigError) =>
        error.problems.length === 4 &&
        /PROXY_ADMIN_SOCKET: must be an absolute path/.test(error.message) &&
        /UPSTREAM_SUBNETS: not an IPv4 subnet: 127.0.0.1\/8/.test(error.message),
    );
  });

  it("takes wildcard domains only with a DNS provider and ACME, and never repeats the provider's secret", () => {
    const provider = JSON.stringify({
      name: 'rfc2136',
      key_name: 'acme',
      key: 's3cret',
      server: '10.0.0.53:53',
    });
    const wildcard = loadGuardianConfig(node, {
      PROXY_WILDCARD_DOMAINS: 'apps.example.org',
      PROXY_DNS_PROVIDER: provider,
    });
    assert.deepEqual(wildcard.PROXY_WILDCARD_DOMAINS, ['apps.example.org']);
    assert.equal(wildcard.PROXY_DNS_PROVIDER?.name, 'rfc2136');
    assert.throws(
      () => loadGuardianConfig(node, { PROXY_WILDCARD_DOMAINS: 'apps.example.org' }),
      /PROXY_WILDCARD_DOMAINS: PROXY_WILDCARD_DOMAINS needs PROXY_DNS_PROVIDER/,
    );
    assert.throws(
      () =>
        loadGuardianConfig(node, {
          PROXY_WILDCARD_DOMAINS: 'apps.example.org',
          PROXY_DNS_PROVIDER: provider,
          PROXY_TLS: 'internal',
        }),
      /PROXY_WILDCARD_DOMAINS needs PROXY_TLS=acme/,
    );
    assert.throws(
      () =>
        loadGuardianConfig(node, {
          PROXY_WILDCARD_DOMAINS: '*.example.org',
          PROXY_DNS_PROVIDER: '{"key":"s3cret"',
        }),
      (error: ConfigError) =>
        /PROXY_WILDCARD_DOMAINS.0: must be a domain in lower case/.test(error.message) &&
        /PROXY_DNS_PROVIDER: must be a JSON object with the provider module's "name"/.test(error.message) &&
        !error.message.includes('s3cret'),
    );
  });
});
