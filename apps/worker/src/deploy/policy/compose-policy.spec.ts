import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { policyViolations } from './compose-policy';

const limits = { clone: '/srv/repos/org/repo', ports: { from: 8000, to: 8999 } };
const asIs = async (target: string) => target;
const rules = async (service: Record<string, unknown>) =>
  (await policyViolations({ services: { app: service } }, limits, asIs)).map((violation) => violation.rule);

describe('the deploy policy on rendered services', () => {
  it('reads published ports in every syntax compose renders', async () => {
    assert.deepEqual(
      await rules({
        ports: ['8080:80', '127.0.0.1:8081:80/udp', '[::1]:8082:80', '80', 8443, { target: 80 }],
      }),
      [],
    );
    assert.deepEqual(await rules({ ports: ['[::1]:22:22'] }), [
      'published port 22 is outside the allowed range 8000-8999',
    ]);
    assert.deepEqual(await rules({ ports: [{ target: 80, published: '7999' }] }), [
      'published port 7999 is outside the allowed range 8000-8999',
    ]);
    assert.deepEqual(await rules({ ports: ['a:b:c'] }), ['port ""a:b:c"" cannot be read']);
  });

  it('judges bind mounts by where they really lead, and leaves named and anonymous volumes alone', async () => {
    const leadsOut = async (target: string) => (target.endsWith('/escape') ? '/etc' : target);
    const service = {
      volumes: ['/srv/repos/org/repo/data:/data', 'named:/x', '/anonymous', '/srv/repos/org/repo/escape:/y'],
    };
    const violations = await policyViolations({ services: { app: service } }, limits, leadsOut);
    assert.deepEqual(
      violations.map((violation) => violation.rule),
      [
        'bind mount of /srv/repos/org/repo/escape is outside the repository: use a named volume or a path in the repository',
      ],
    );
    assert.deepEqual(await rules({ volumes: ['/srv/repos/org/repo-evil:/z'] }), [
      'bind mount of /srv/repos/org/repo-evil is outside the repository: use a named volume or a path in the repository',
    ]);
  });

  it('accepts the capabilities and options that stay inside the container', async () => {
    assert.deepEqual(
      await rules({
        cap_add: ['NET_BIND_SERVICE', 'CAP_CHOWN'],
        security_opt: ['no-new-privileges:true'],
        sysctls: ['net.core.somaxconn=1024'],
        network_mode: 'service:db',
        pid: 'service:db',
      }),
      [],
    );
  });
});
