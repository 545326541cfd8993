import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MasterKey } from './master-key';
import { seal, unseal } from './sealing';

describe('MasterKey.load', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'td-master-key-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const keyFile = async (name: string, text: string, mode = 0o600) => {
    const file = join(dir, name);
    await writeFile(file, text);
    await chmod(file, mode);
    return file;
  };

  it('reads 32 bytes of base64 from a file only its owner may read, and names the key by a digest', async () => {
    const text = randomBytes(32).toString('base64');
    const key = MasterKey.load(await keyFile('good', `${text}\n`));
    assert.deepEqual(key.key, Buffer.from(text, 'base64'));
    assert.match(key.id, /^[0-9a-f]{16}$/);
    assert.equal(MasterKey.load(await keyFile('same', text)).id, key.id);
    assert.notEqual(MasterKey.load(await keyFile('other', randomBytes(32).toString('base64'))).id, key.id);
  });

  it('refuses a missing file, saying how to make one', () => {
    assert.throws(
      () => MasterKey.load(join(dir, 'absent')),
      /MASTER_KEY_FILE .*absent: there is no such file; make one with `\(umask 077; openssl rand -base64 32 > .*absent\)`/,
    );
  });

  it('refuses a file others may read, without telling to make a new key', async () => {
    const file = await keyFile('open', randomBytes(32).toString('base64'), 0o644);
    assert.throws(
      () => MasterKey.load(file),
      (error: Error) =>
        /can be read by others than its owner \(mode 644\): chmod 600 it/.test(error.message) &&
        !error.message.includes('openssl'),
    );
  });

  for (const [name, text] of [
    ['short', randomBytes(16).toString('base64')],
    ['long', randomBytes(64).toString('base64')],
    ['hex', randomBytes(32).toString('hex')],
    ['empty', ''],
  ]) {
    it(`refuses a key that is not 32 bytes of base64 (${name})`, async () => {
      const file = await keyFile(name, text);
      assert.throws(() => MasterKey.load(file), /does not hold 32 bytes in base64/);
    });
  }
});

describe('seal and unseal (AES-256-GCM)', () => {
  const key = randomBytes(32);
  const value = Buffer.from('https://discord.com/api/webhooks/1/secret');

  it('opens what it sealed, with a fresh nonce each time', () => {
    const one = seal(key, 'k', value, 'channel a');
    const two = seal(key, 'k', value, 'channel a');
    assert.notEqual(one.iv, two.iv);
    assert.notEqual(one.sealed, two.sealed);
    assert.deepEqual(unseal(key, one, 'channel a'), value);
    assert.ok(!one.sealed.includes(value.toString('base64').slice(0, 12)));
  });

  it('refuses another context, another key, and a single changed bit', () => {
    const sealed = seal(key, 'k', value, 'channel a');
    assert.throws(() => unseal(key, sealed, 'channel b'));
    assert.throws(() => unseal(randomBytes(32), sealed, 'channel a'));
    const bytes = Buffer.from(sealed.sealed, 'base64');
    bytes[3] ^= 1;
    assert.throws(() => unseal(key, { ...sealed, sealed: bytes.toString('base64') }, 'channel a'));
  });
});
