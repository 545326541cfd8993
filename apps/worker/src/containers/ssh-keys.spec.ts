import assert from 'node:assert/strict';
import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { describe, it } from 'node:test';
import { IcpError } from '@testausdeploy/icp';
import { authorizedKeys } from './ssh-keys';

const sshString = (bytes: Buffer | string) => {
  const body = Buffer.from(bytes);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return Buffer.concat([length, body]);
};
const mpint = (b64url: string) => {
  const bytes = Buffer.from(b64url, 'base64url');
  return sshString(bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
};
const line = (type: string, ...parts: Buffer[]) =>
  `${type} ${Buffer.concat([sshString(type), ...parts]).toString('base64')} member@laptop`;

function rsa(bits: number): string {
  const jwk = generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ format: 'jwk' });
  return line('ssh-rsa', mpint(jwk.e as string), mpint(jwk.n as string));
}
function ed25519(): string {
  const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }) as JsonWebKey;
  return line('ssh-ed25519', sshString(Buffer.from(jwk.x as string, 'base64url')));
}
function ecdsa(curve: 'P-256' | 'P-384' | 'P-521', name: string): string {
  const jwk = generateKeyPairSync('ec', { namedCurve: curve }).publicKey.export({ format: 'jwk' });
  const point = Buffer.concat([
    Buffer.from([4]),
    Buffer.from(jwk.x as string, 'base64url'),
    Buffer.from(jwk.y as string, 'base64url'),
  ]);
  return line(`ecdsa-sha2-${name}`, sshString(name), sshString(point));
}

function refusal(keys: string[]): IcpError {
  try {
    authorizedKeys(keys);
  } catch (err) {
    assert.ok(err instanceof IcpError, String(err));
    return err;
  }
  assert.fail(`accepted ${keys.join(', ')}`);
}

describe('authorizedKeys', () => {
  const good = ed25519();

  it('accepts ed25519, ECDSA on the three NIST curves and RSA of 3072 bits', () => {
    const keys = [
      good,
      ecdsa('P-256', 'nistp256'),
      ecdsa('P-384', 'nistp384'),
      ecdsa('P-521', 'nistp521'),
      rsa(3072),
    ];
    assert.equal(authorizedKeys(keys), keys.join('\n') + '\n');
  });

  it('keeps the comment and drops surrounding blanks', () => {
    assert.equal(authorizedKeys([`  ${good}  `]), `${good}\n`);
  });

  it('refuses RSA under 3072 bits as forbidden, naming the key', () => {
    const err = refusal([good, rsa(2048)]);
    assert.equal(err.code, 'forbidden');
    assert.match(err.message, /^sshKeys\[1\]: RSA keys need at least 3072 bits, this one has 2048/);
  });

  it('refuses key types it does not accept as forbidden', () => {
    const dss = line('ssh-dss', sshString(Buffer.alloc(20)));
    assert.equal(refusal([dss]).code, 'forbidden');
    assert.equal(
      refusal([line('sk-ssh-ed25519@openssh.com', sshString(Buffer.alloc(32)))]).code,
      'forbidden',
    );
  });

  it('refuses what is not a single public key as invalid_data', () => {
    const [type, data] = good.split(' ');
    const cases: [string, RegExp][] = [
      [`command="sh" ${good}`, /sshKeys\[0\].*options before the key are not accepted/],
      [`${good}\nssh-ed25519 ${data}`, /one line/],
      [`${good}\r`, /one line/],
      [type, /type base64/],
      [`${type} not*base64`, /not base64/],
      [`${type} ${data.slice(0, 40)}`, /truncated/],
      [`ssh-rsa ${data}`, /not of type ssh-rsa/],
      [
        `${type} ${Buffer.concat([Buffer.from(data, 'base64'), Buffer.from([0])]).toString('base64')}`,
        /trailing/,
      ],
      [line('ssh-ed25519', sshString(Buffer.alloc(16))), /32 bytes/],
      [line('ecdsa-sha2-nistp256', sshString('nistp384'), sshString(Buffer.alloc(65))), /curve/],
      ['hello world', /not a key type/],
    ];
    for (const [key, message] of cases) {
      const err = refusal([key]);
      assert.equal(err.code, 'invalid_data', key);
      assert.match(err.message, message, key);
    }
  });
});
