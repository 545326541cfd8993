import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { whyNotBeside } from './beside-check';

const web = (extra: Record<string, unknown>) => ({ services: { web: { image: 'app', ...extra } } });

describe('whyNotBeside', () => {
  it('lets a project without host ports, written data directories or exclusive volumes run twice', () => {
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

  it('refuses a volume marked exclusive, as a mapping or a list of labels', () => {
    const mounted = web({ volumes: [{ type: 'volume', source: 'db', target: '/var/lib/db' }] });
    for (const labels of [{ 'org.testausdeploy.exclusive': 'true' }, ['org.testausdeploy.exclusive=true']]) {
      assert.equal(
        whyNotBeside({ ...mounted, volumes: { db: { labels } } }),
        'service web mounts volume db, marked org.testausdeploy.exclusive',
      );
    }
  });
});
