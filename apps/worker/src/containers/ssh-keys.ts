import { IcpError, IcpErrorCode } from '@testausdeploy/icp';

/** RSA keys shorter than this are refused (NIST's 128-bit security level). */
export const MIN_RSA_BITS = 3072;

const ECDSA_POINT_BYTES: Record<string, number> = { nistp256: 65, nistp384: 97, nistp521: 133 };

/**
 * Checks members' public keys and returns them as the lines of an authorized_keys file. A key is
 * `type base64 [comment]` and nothing else: no options prefix (`command=`, `from=` ...), no line breaks, and the
 * blob must decode to a key of the type it claims. Accepted: ssh-ed25519, ecdsa-sha2-nistp256/384/521, and
 * ssh-rsa with a modulus of at least 3072 bits. Throws `invalid_data` for what is not a key and `forbidden`
 * for a key of a refused type or size, naming the key by its index.
 */
export function authorizedKeys(keys: string[]): string {
  return keys.map((key, index) => checkKey(key, index)).join('\n') + '\n';
}

function checkKey(key: string, index: number): string {
  const invalid = (reason: string) =>
    new IcpError(IcpErrorCode.InvalidData, `sshKeys[${index}] is not a public key: ${reason}`);
  const refused = (reason: string) => new IcpError(IcpErrorCode.Forbidden, `sshKeys[${index}]: ${reason}`);
  // Only printable ASCII and spaces: a line break or a control character could add a line of its own.
  if (!/^[\x20-\x7e]+$/.test(key)) throw invalid('only printable ASCII on one line');
  const [type, data, ...comment] = key.trim().split(/ +/);
  if (!data) throw invalid('expected "type base64 [comment]"');
  if (!(type === 'ssh-ed25519' || type === 'ssh-rsa' || type.startsWith('ecdsa-sha2-'))) {
    throw /^(ssh|ecdsa|sk)-/.test(type)
      ? refused(
          `${type} keys are not accepted (ssh-ed25519, ecdsa-sha2-nistp256/384/521, ssh-rsa >= ${MIN_RSA_BITS} bits)`,
        )
      : invalid(`"${type.slice(0, 40)}" is not a key type (options before the key are not accepted)`);
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data)) throw invalid('the key is not base64');
  const blob = new SshBlob(Buffer.from(data, 'base64'), invalid);
  if (blob.string().toString('latin1') !== type) throw invalid(`the key's blob is not of type ${type}`);
  if (type === 'ssh-ed25519') {
    if (blob.string().length !== 32) throw invalid('an ed25519 key has 32 bytes');
  } else if (type === 'ssh-rsa') {
    blob.string(); // the public exponent
    const bits = bitLength(blob.string());
    if (bits < MIN_RSA_BITS)
      throw refused(`RSA keys need at least ${MIN_RSA_BITS} bits, this one has ${bits}`);
  } else {
    const curve = type.slice('ecdsa-sha2-'.length);
    if (!(curve in ECDSA_POINT_BYTES)) throw refused(`${type} keys are not accepted`);
    if (blob.string().toString('latin1') !== curve) throw invalid(`the key's curve is not ${curve}`);
    const point = blob.string();
    if (point.length !== ECDSA_POINT_BYTES[curve] || point[0] !== 4) throw invalid(`not a ${curve} point`);
  }
  blob.end();
  return [type, data, ...comment].join(' ');
}

/** Reads the length-prefixed strings of an SSH public key blob (RFC 4253, section 6.6). */
class SshBlob {
  private offset = 0;

  constructor(
    private readonly bytes: Buffer,
    private readonly invalid: (reason: string) => Error,
  ) {}

  string(): Buffer {
    if (this.offset + 4 > this.bytes.length) throw this.invalid('the key is truncated');
    const length = this.bytes.readUInt32BE(this.offset);
    const start = this.offset + 4;
    if (start + length > this.bytes.length) throw this.invalid('the key is truncated');
    this.offset = start + length;
    return this.bytes.subarray(start, this.offset);
  }

  end(): void {
    if (this.offset !== this.bytes.length) throw this.invalid('the key has trailing bytes');
  }
}

/** Bits of an unsigned big-endian integer (an SSH mpint carries a leading zero byte when its top bit is set). */
function bitLength(mpint: Buffer): number {
  let i = 0;
  while (i < mpint.length && mpint[i] === 0) i++;
  if (i === mpint.length) return 0;
  return (mpint.length - i - 1) * 8 + (32 - Math.clz32(mpint[i]));
}
