import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManagerConfig } from '../config/manager-config';
import { claimHosts } from './host-claims';
import { ProjectRoutesView } from './projections/routes-view';
import { RouteHosts } from './route-hosts';

const hostsFor = (domain: string | undefined, pattern = '{repo}') =>
  new RouteHosts({ APPS_DOMAIN: domain, APPS_HOST_PATTERN: pattern } as ManagerConfig);

const project = (org: string, repo: string, claimedAt: number, hosts: string[] = []): ProjectRoutesView => ({
  _id: `${org}/${repo}`,
  kind: 'project',
  org,
  repo,
  routes: [{ service: 'web', port: 80, hosts }],
  domains: [],
  upstreams: [],
  serving: true,
  claimedAt,
});

describe('host names of routes', () => {
  it('makes the default host name of the first route from the repository, DNS-safe, or none', () => {
    const hosts = hostsFor('apps.example.org');
    assert.equal(hosts.defaultHost('acme', 'My_Site.v2'), 'my-site-v2.apps.example.org');
    assert.equal(hosts.defaultHost('acme', '_'), null, 'a repository without a letter or digit has none');
    assert.equal(
      hostsFor('apps.example.org', '{repo}-{org}').defaultHost('acme', 'site'),
      'site-acme.apps.example.org',
    );
    assert.equal(
      hostsFor('apps.example.org', '{repo}{org}').defaultHost('a'.repeat(40), 'b'.repeat(40)),
      null,
    );
    assert.equal(hostsFor(undefined).defaultHost('acme', 'site'), null);
    assert.deepEqual(
      hosts.of('acme', 'site', [
        { service: 'web', port: 80, hosts: ['www.acme.org'] },
        { service: 'api', port: 3000, hosts: [] },
      ]),
      [['site.apps.example.org', 'www.acme.org'], []],
    );
  });

  it('gives each name once, to the project that set routes first; the later one answers without it and says whose', () => {
    const hosts = hostsFor('apps.example.org');
    const claims = claimHosts(
      [project('evil', 'site', 9, ['evil.example']), project('acme', 'site', 5, ['acme.example'])],
      ({ org, repo, routes }) => hosts.of(org, repo, routes),
    );
    assert.deepEqual(claims.get('acme/site'), {
      perRoute: [['site.apps.example.org', 'acme.example']],
      heldElsewhere: [],
    });
    assert.deepEqual(claims.get('evil/site'), {
      perRoute: [['evil.example']],
      heldElsewhere: [{ host: 'site.apps.example.org', heldBy: 'acme/site' }],
    });
  });
});
