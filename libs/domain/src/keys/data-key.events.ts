import { DomainEvent } from '../aggregate-root';
import { eventGuard } from '../event-guard';

/**
 * A value encrypted with AES-256-GCM: `key` is the id of the key that sealed it (a data key, or for a data key
 * the master key), `iv` the nonce, `sealed` the ciphertext with its authentication tag, all base64.
 */
export interface Sealed {
  key: string;
  iv: string;
  sealed: string;
}

/**
 * A data key was made for `scope` (`global`, or a project's `org/repo`): 32 random bytes, wrapped by master key
 * `masterKey`. The log says only that it exists: the key itself is kept, wrapped, in the key vault (outside the
 * log, which cannot forget), so that destroying it makes what it sealed unreadable for good.
 */
export type DataKeyCreated = DomainEvent<
  'DataKeyCreated',
  { scope: string; keyId: string; masterKey: string }
>;

/**
 * The same data key, wrapped now by master key `masterKey` instead of `previousMasterKey` (a rotation:
 * MASTER_KEY_FILE names the new key, MASTER_KEY_PREVIOUS_FILE the one it replaces). What it sealed is untouched.
 */
export type DataKeyRewrapped = DomainEvent<
  'DataKeyRewrapped',
  { scope: string; keyId: string; masterKey: string; previousMasterKey: string }
>;

/**
 * The master key that wrapped the scope's data key was declared lost (MASTER_KEY_LOST): a new data key takes
 * its place, and what the old one sealed can no longer be opened (it has to be given again).
 */
export type DataKeyReplaced = DomainEvent<
  'DataKeyReplaced',
  { scope: string; keyId: string; masterKey: string; lostMasterKey: string }
>;

/**
 * The scope's data key was destroyed (crypto-shredding: its project was removed). Everything it sealed, in the
 * log and in every copy of it, can never be opened again; the next value sealed in the scope gets a new key.
 */
export type DataKeyDestroyed = DomainEvent<
  'DataKeyDestroyed',
  { scope: string; keyId: string; reason: string }
>;

export type DataKeyEvent = DataKeyCreated | DataKeyRewrapped | DataKeyReplaced | DataKeyDestroyed;

export const isDataKeyEvent = eventGuard<DataKeyEvent>([
  'DataKeyCreated',
  'DataKeyRewrapped',
  'DataKeyReplaced',
  'DataKeyDestroyed',
]);
