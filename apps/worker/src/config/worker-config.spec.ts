import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '@testausdeploy/service';
import { loadWorkerConfig } from './worker-config';

const node = {
  host: '127.0.0.1',
  port: 7443,
  stateDir: '/tmp/w',
  trustFile: '/tmp/w/t',
  logLevel: 'info' as const,
};

describe('Worker configuration: the apps network', () => {
  it('has a default network and subnet, and takes others', () => {
    const plain = loadWorkerConfig(node, {});
    assert.deepEqual([plain.APPS_NETWORK, plain.APPS_SUBNET.text], ['testausdeploy-apps', '10.88.0.0/16']);
    const own = loadWorkerConfig(node, { APPS_NETWORK: 'apps', APPS_SUBNET: '172.30.0.0/24' });
    assert.deepEqual([own.APPS_NETWORK, own.APPS_SUBNET.text], ['apps', '172.30.0.0/24']);
  });

  it('refuses a subnet written by a host address, and a network name Docker would not take', () => {
    assert.throws(
      () => loadWorkerConfig(node, { APPS_SUBNET: '10.88.0.1/16', APPS_NETWORK: 'my apps' }),
      (error: ConfigError) =>
        error.problems.length === 2 &&
        /APPS_SUBNET: must be an IPv4 subnet like 10.88.0.0\/16/.test(error.message) &&
        /APPS_NETWORK: /.test(error.message),
    );
  });
});

describe('Worker configuration: the allow-list', () => {
  it('takes GitHub organisation names only: "a--b" could take the second compose project name of "a"', () => {
    assert.throws(
      () => loadWorkerConfig(node, { ALLOWED_ORGS: 'org,org--b,-x' }),
      (error: ConfigError) =>
        /"org--b" is not a valid GitHub organisation name/.test(error.message) &&
        /"-x" is not a valid/.test(error.message),
    );
    assert.deepEqual(loadWorkerConfig(node, { ALLOWED_ORGS: 'org, My-Org' }).ALLOWED_ORGS, ['org', 'My-Org']);
  });
});
