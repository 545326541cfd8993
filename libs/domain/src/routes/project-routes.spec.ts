import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidInput } from '../errors';
import { ProjectRoutes } from './project-routes.aggregate';

describe('ProjectRoutes', () => {
  it('records the routes whole, host names sorted, and nothing when they are the same again', () => {
    const routes = new ProjectRoutes('acme', 'site');
    routes.set([{ service: 'web', port: 8080, hosts: ['www.acme.org', 'acme.org'] }]);
    routes.set([{ service: 'web', port: 8080, hosts: ['acme.org', 'www.acme.org'] }]);
    assert.equal(routes.pendingEvents.length, 1);
    assert.deepEqual(routes.routes, [{ service: 'web', port: 8080, hosts: ['acme.org', 'www.acme.org'] }]);
    routes.clear();
    assert.deepEqual(routes.routes, []);
    assert.equal(routes.pendingEvents.length, 2);
  });

  it('refuses every problem at once: a service twice, a bad port, a bad or repeated host name', () => {
    const routes = new ProjectRoutes('acme', 'site');
    assert.throws(
      () =>
        routes.set([
          { service: 'web', port: 0, hosts: ['Acme.org', 'a.acme.org'] },
          { service: 'web', port: 80, hosts: ['a.acme.org', '{env.HOME}.org'] },
        ]),
      (error: InvalidInput) =>
        error instanceof InvalidInput &&
        /port 0 of web is not a port/.test(error.message) &&
        /"Acme.org" is not a host name in lower case/.test(error.message) &&
        /service web is in two routes/.test(error.message) &&
        /a\.acme\.org is named twice/.test(error.message) &&
        /"\{env.HOME\}.org" is not a host name/.test(error.message),
    );
    assert.equal(routes.pendingEvents.length, 0);
  });

  it('records delegated domains whole, sorted, and tells which host names fall under them', () => {
    const routes = new ProjectRoutes('acme', 'site');
    routes.delegate(['team.acme.org', 'acme.dev']);
    routes.delegate(['acme.dev', 'team.acme.org']);
    assert.equal(routes.pendingEvents.length, 1);
    assert.deepEqual(routes.domains, ['acme.dev', 'team.acme.org']);
    assert.equal(routes.delegates('team.acme.org'), true);
    assert.equal(routes.delegates('www.team.acme.org'), true);
    assert.equal(routes.delegates('evilteam.acme.org'), false);
    assert.equal(routes.delegates('acme.org'), false);
    routes.clear();
    assert.deepEqual(routes.domains, []);
    assert.equal(routes.delegates('acme.dev'), false);
  });

  it('refuses a bad, repeated or nested delegated domain, every problem at once', () => {
    const routes = new ProjectRoutes('acme', 'site');
    assert.throws(
      () => routes.delegate(['Acme.org', 'acme.dev', 'acme.dev', 'www.acme.dev', 'com']),
      (error: InvalidInput) =>
        /"Acme.org" is not a domain in lower case/.test(error.message) &&
        /acme\.dev is named twice/.test(error.message) &&
        /www\.acme\.dev is under acme\.dev already/.test(error.message) &&
        /"com" is not a domain/.test(error.message),
    );
    assert.equal(routes.pendingEvents.length, 0);
  });
});
