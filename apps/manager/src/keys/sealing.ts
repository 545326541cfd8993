import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Sealed } from '@testausdeploy/domain';

const TAG_BYTES = 16;

/**
 * AES-256-GCM with a fresh 96-bit nonce per value. `context` is authenticated with it (additional data): a value
 * sealed for one purpose (a channel's URL) cannot be moved to another (another channel's) and still open.
 */
export function seal(key: Buffer, keyId: string, plaintext: Buffer, context: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context));
  const sealed = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return { key: keyId, iv: iv.toString('base64'), sealed: sealed.toString('base64') };
}

/** The plaintext, or an error if the key, the context or a single bit of the value is not what sealed it. */
export function unseal(key: Buffer, value: Sealed, context: string): Buffer {
  const data = Buffer.from(value.sealed, 'base64');
  const iv = Buffer.from(value.iv, 'base64');
  if (iv.length !== 12 || data.length < TAG_BYTES) throw new Error('not a sealed value');
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - TAG_BYTES)), decipher.final()]);
}
