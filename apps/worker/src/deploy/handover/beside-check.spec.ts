import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { whyNotBeside } from './beside-check';

const web = (extra: Record<string, unknown>) => ({ services: { web: { image: 'app', ...extra } } });

describe('whyNotBeside', () => {
  it('lets a project without host ports, written data directories or volumes it may not share run twice', () => {
    const project = {
      ...web({
        volumes: [
          { type: 'bind', source: '/checkouts/p/c/conf', target: '/conf', read_only: true },
          { type: 'volume', source: 'cache', target: '/cache' },
          { type: 'tmpfs', target: '/tmp' },
        ],
        expose: ['8080'],
      }),
      volumes: { cache: { name: 'td_o_p_cache', labels: { 'org.testausdeploy.exclusive': 'false' } } },
    };
    assert.equal(whyNotBeside(project), null);
  });

  it('says which service publishes which host port, in the long and the short syntax', () => {
    assert.equal(
      whyNotBeside(web({ ports: [{ target: 80, published: '8080', protocol: 'tcp' }] })),
      'service web publishes host port 8080, which only one version can hold',
    );
    assert.match(whyNotBeside(web({ ports: ['127.0.0.1:8081:80/udp'] })) ?? '', /host port 8081,/);
  });

  it('refuses a data directory two versions would write, but not one mounted read-only', () => {
    const data = { type: 'bind', source: '/data/td_o_p/mounts/data', target: '/data' };
    assert.equal(
      whyNotBeside(web({ volumes: [data] })),
      'service web writes its data directory at /data, which two versions would write at once',
    );
    assert.equal(whyNotBeside(web({ volumes: [{ ...data, read_only: true }] })), null);
  });

  it('refuses a named volume two versions would write, unless it is labelled as one they may', () => {
    const mounted = web({ volumes: [{ type: 'volume', source: 'db', target: '/var/lib/db' }] });
    const refused =
      'service web writes volume db, which two versions would write at once (label it org.testausdeploy.exclusive: "false" if they may)';
    for (const labels of [
      undefined,
      { 'org.testausdeploy.exclusive': 'true' },
      ['org.testausdeploy.exclusive=true'],
    ]) {
      assert.equal(whyNotBeside({ ...mounted, volumes: { db: labels ? { labels } : null } }), refused);
    }
    for (const labels of [
      { 'org.testausdeploy.exclusive': 'false' },
      ['org.testausdeploy.exclusive=false'],
    ]) {
      assert.equal(whyNotBeside({ ...mounted, volumes: { db: { labels } } }), null);
    }
    // Read-only, or anonymous (each container has its own): nothing is written twice.
    const readOnly = web({ volumes: [{ type: 'volume', source: 'db', target: '/db', read_only: true }] });
    assert.equal(whyNotBeside({ ...readOnly, volumes: { db: null } }), null);
    assert.equal(whyNotBeside(web({ volumes: [{ type: 'volume', target: '/scratch' }] })), null);
  });

  it('cuts what it names to a length a recorded reason can hold', () => {
    const target = `/${'d'.repeat(4000)}`;
    const reason = whyNotBeside(web({ volumes: [{ type: 'bind', source: '/data/x', target }] })) ?? '';
    assert.ok(reason.length < 300, String(reason.length));
  });
});
