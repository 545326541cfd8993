import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManagerConfig } from '../../config/manager-config';
import { isPublicAddress, NotificationTargets } from './notification-targets';

const targets = (hosts: string[] = [], privateHosts: string[] = []) =>
  new NotificationTargets({
    NOTIFICATION_HOSTS: hosts,
    NOTIFICATION_PRIVATE_HOSTS: privateHosts,
  } as unknown as ManagerConfig);

describe('isPublicAddress', () => {
  it('takes public IPv4 and global IPv6 addresses (Discord, Slack, public resolvers)', () => {
    for (const address of ['8.8.8.8', '1.1.1.1', '162.159.135.232', '2606:4700:4700::1111', '2a00:1450::1']) {
      assert.equal(isPublicAddress(address), true, address);
    }
  });

  it('refuses this machine, private, shared, link-local, multicast, reserved and documentation ranges', () => {
    for (const address of [
      '0.0.0.0',
      '127.0.0.1',
      '10.1.2.3',
      '100.64.0.1',
      '169.254.169.254',
      '172.16.0.1',
      '192.168.1.1',
      '192.0.2.1',
      '192.88.99.1',
      '198.18.0.1',
      '224.0.0.1',
      '255.255.255.255',
      '::',
      '::1',
      '::7f00:1',
      '::ffff:127.0.0.1',
      '::ffff:8.8.8.8',
      '64:ff9b::7f00:1',
      'fe80::1',
      'fec0::1',
      'fc00::1',
      'ff02::1',
      '2001:db8::1',
      '2001::1',
      '2002:7f00:1::1',
      '3fff::1',
      'not an address',
    ]) {
      assert.equal(isPublicAddress(address), false, address);
    }
  });
});

describe('NotificationTargets.check', () => {
  const refused = (url: string, reason: RegExp, on = targets()) =>
    assert.throws(() => on.check(url, 'webhook'), reason, url);

  it('takes an https URL to a public host on its own port', () => {
    assert.equal(targets().check('https://hooks.example.org/a/b', 'slack').host, 'hooks.example.org');
    assert.equal(targets().check('https://8.8.8.8:443/x', 'webhook').host, '8.8.8.8');
    assert.equal(targets().check('https://discord.com/api/webhooks/1/t', 'discord').host, 'discord.com');
  });

  it('refuses other schemes, ports, credentials and private addresses however written', () => {
    refused('http://hooks.example.org/x', /must be https/);
    refused('ftp://hooks.example.org/x', /must be https/);
    refused('https://hooks.example.org:8443/x', /only https's own port, 443/);
    refused('https://u:p@hooks.example.org/x', /user name or password/);
    refused('https://127.0.0.1/x', /127\.0\.0\.1 is not a public address/);
    refused('https://0x7f000001/x', /127\.0\.0\.1 is not a public address/);
    refused('https://2130706433/x', /127\.0\.0\.1 is not a public address/);
    refused('https://[::ffff:169.254.169.254]/x', /not a public address/);
    refused('https://[fd00::1]/x', /not a public address/);
    assert.throws(() => targets().check('https://discord.com/x', 'discord'), /\/api\/webhooks\//);
  });

  it('keeps to NOTIFICATION_HOSTS when set, and lets NOTIFICATION_PRIVATE_HOSTS be private, over http, on any port', () => {
    const only = targets(['discord.com']);
    assert.equal(only.check('https://discord.com/api/webhooks/1/t', 'discord').host, 'discord.com');
    refused('https://hooks.slack.com/x', /only to discord\.com/, only);
    refused('https://discord.com./api/webhooks/1/t', /only to discord\.com/, only);
    const lan = targets([], ['10.0.0.5']);
    assert.equal(lan.check('http://10.0.0.5:8080/hook', 'webhook').host, '10.0.0.5:8080');
    refused('http://10.0.0.6:8080/hook', /must be https/, lan);
  });
});
