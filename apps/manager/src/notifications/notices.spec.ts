import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventStore, StoredEvent } from '@testausdeploy/events';
import { ManagerConfig } from '../config/manager-config';
import { Notices } from './notices';

const config = { MANAGER_HOST: '127.0.0.1', MANAGER_PORT: 3000 } as ManagerConfig;
/** These events make their notices from their own data: no read of the log. */
const notices = new Notices({} as EventStore, config);
const event = (type: string, data: object, actor = 'scheduler') =>
  ({
    type,
    data,
    streamId: 's',
    position: 7,
    metadata: { actor, time: new Date('2026-12-04T12:00:00Z') },
  }) as unknown as StoredEvent;

describe('Notices', () => {
  it('cuts a giant failure reason to a message’s size', async () => {
    const reason = 'x'.repeat(1_000_000);
    const notice = await notices.of(
      event('PollingBackedOff', {
        org: 'acme',
        repo: 'site',
        branch: 'b'.repeat(5000),
        reason,
        retryInSeconds: 60,
      }),
    );
    assert.ok(notice);
    assert.equal(notice.topic, 'polling.backedOff');
    assert.equal(notice.text.length, 2000);
    assert.ok(notice.text.endsWith('…'));
    assert.equal(notice.link, 'http://127.0.0.1:3000/ui/projects/acme/site');
  });

  it('makes no notice of a backup someone made by hand, nor of an event no topic is about', async () => {
    const backup = { name: 'box', backup: 'b1', bytes: 1048576 };
    assert.equal(await notices.of(event('BackupExported', backup, 'ada')), null);
    assert.equal((await notices.of(event('BackupExported', backup)))?.topic, 'backup.succeeded');
    assert.equal(await notices.of(event('MemberAdded', { name: 'ada' })), null);
  });

  it("tells a project of a host name the proxy has no certificate for, and the server of the proxy's drift", async () => {
    const failed = await notices.of(
      event(
        'CertificateFailed',
        {
          org: 'acme',
          repo: 'site',
          host: 'site.apps.example.org',
          guardian: 'g1',
          reason: 'connection refused',
        },
        'guardian:g1',
      ),
    );
    assert.deepEqual(
      [failed?.topic, failed?.org, failed?.repo, failed?.title, failed?.bad],
      ['certificate.failed', 'acme', 'site', 'acme/site: no certificate for site.apps.example.org', true],
    );
    assert.match(failed?.text ?? '', /connection refused/);
    const drift = await notices.of(
      event('ProxyDriftDetected', {
        guardian: 'g1',
        boot: 'b',
        sequence: 1,
        detectedAt: '',
        differences: ['x'],
      }),
    );
    assert.deepEqual([drift?.topic, drift?.title], ['firewall.repaired', 'Proxy drift repaired on g1']);
  });
});
