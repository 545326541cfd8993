import { randomBytes, randomUUID } from 'node:crypto';
import { Sealed } from '@testausdeploy/domain';
import { MasterKey } from './master-key';
import { seal, unseal } from './sealing';

/** What a data key's wrapping is bound to: a wrapped key moved to another scope, or id, does not open. */
const wrapContext = (scope: string, keyId: string) => `data-key ${scope} ${keyId}`;

/** A data key wrapped by `master`. */
export function wrap(master: MasterKey, scope: string, keyId: string, key: Buffer): Sealed {
  return seal(master.key, master.id, key, wrapContext(scope, keyId));
}

/** A new data key for `scope`: its id, the key, and the key wrapped by `master`. */
export function newDataKey(master: MasterKey, scope: string) {
  const keyId = randomUUID();
  const key = randomBytes(32);
  return { keyId, key, wrapped: wrap(master, scope, keyId, key) };
}

/** The data key in clear, or an error naming the scope and the master key when `master` does not open it. */
export function unwrap(master: MasterKey, scope: string, keyId: string, wrapped: Sealed): Buffer {
  if (wrapped.key !== master.id) {
    throw new Error(
      `the data key of ${scope} is wrapped by master key ${wrapped.key}, not by the one in MASTER_KEY_FILE ` +
        `(${master.id}): start the Manager with the master key it was made with`,
    );
  }
  try {
    return unseal(master.key, wrapped, wrapContext(scope, keyId));
  } catch {
    throw new Error(`the data key of ${scope} does not open with master key ${master.id}: it was changed`);
  }
}
