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
 * A data key was made for `scope` (`global`, or a project's `org/repo`): 32 random bytes, only ever in the log
 * wrapped by the master key, which lives in a file outside the database.
 */
export type DataKeyCreated = DomainEvent<'DataKeyCreated', { scope: string; keyId: string; wrapped: Sealed }>;

/**
 * The same data key, wrapped now by another master key (a rotation: MASTER_KEY_FILE names the new key,
 * MASTER_KEY_PREVIOUS_FILE the one it replaces). What the data key sealed is untouched.
 */
export type DataKeyRewrapped = DomainEvent<
  'DataKeyRewrapped',
  { scope: string; keyId: string; wrapped: Sealed; previousMasterKey: string }
>;

/**
 * The master key that wrapped the scope's data key was declared lost (MASTER_KEY_LOST): a new data key takes
 * its place, and what the old one sealed can no longer be opened (it has to be given again).
 */
export type DataKeyReplaced = DomainEvent<
  'DataKeyReplaced',
  { scope: string; keyId: string; wrapped: Sealed; lostMasterKey: string }
>;

export type DataKeyEvent = DataKeyCreated | DataKeyRewrapped | DataKeyReplaced;

export const isDataKeyEvent = eventGuard<DataKeyEvent>([
  'DataKeyCreated',
  'DataKeyRewrapped',
  'DataKeyReplaced',
]);
