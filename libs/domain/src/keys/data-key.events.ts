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

export type DataKeyEvent = DataKeyCreated;

export const isDataKeyEvent = eventGuard<DataKeyEvent>(['DataKeyCreated']);
