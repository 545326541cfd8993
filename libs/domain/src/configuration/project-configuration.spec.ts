import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidInput } from '../errors';
import { ProjectConfiguration } from './project-configuration.aggregate';
import { MAX_CONFIGURATION_BYTES } from './variable-rules';

const plain = (name: string, value: string) => ({ name, service: null, secret: false, value, sealed: null });
/** A sealed value of `bytes` plaintext bytes, as AES-GCM makes it: the bytes and a 16-byte tag, in base64. */
const sealed = (name: string, bytes: number) => ({
  name,
  service: null,
  secret: true,
  value: null,
  sealed: { key: 'k', iv: 'aXZpdml2aXZpdml2', sealed: Buffer.alloc(bytes + 16).toString('base64') },
});

describe('ProjectConfiguration', () => {
  it('counts versions, one per change, and keeps the newest value of each variable', () => {
    const configuration = new ProjectConfiguration('acme', 'site');
    configuration.change([plain('A', '1'), plain('B', '2')], []);
    configuration.change([plain('A', '3')], [{ name: 'B', service: null }]);
    assert.equal(configuration.configurationVersion, 2);
    assert.deepEqual(
      configuration.all.map(({ name, value }) => [name, value]),
      [['A', '3']],
    );
  });

  it('refuses a change that would make its variables larger than one deploy command may carry, sealed ones by their ciphertext', () => {
    const configuration = new ProjectConfiguration('acme', 'site');
    const half = MAX_CONFIGURATION_BYTES / 2;
    configuration.change([plain('A', 'x'.repeat(half - 1)), sealed('B', half - 1)], []);
    assert.throws(
      () => configuration.change([sealed('C', 2)], []),
      (error: Error) =>
        error instanceof InvalidInput &&
        /at most 256 KiB together .*this would make 257 KiB/.test(error.message),
    );
    // A multi-byte character counts as its UTF-8 bytes.
    assert.throws(() => configuration.change([plain('A', 'é'.repeat(half / 2 + 1))], []), InvalidInput);
    configuration.change([plain('A', 'é'.repeat(half / 2 - 1))], []);
    assert.equal(configuration.configurationVersion, 2);
  });
});
