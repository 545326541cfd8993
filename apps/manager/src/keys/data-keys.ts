import { Injectable } from '@nestjs/common';
import { DataKeyRing, Sealed } from '@testausdeploy/domain';
import { ConcurrencyError } from '@testausdeploy/events';
import { EventRecorder } from '../events/event-recorder';
import { MasterKeys } from './master-key';
import { seal, unseal } from './sealing';
import { newDataKey, unwrap } from './wrapping';

interface OpenKey {
  id: string;
  key: Buffer;
}

/**
 * Seals values with their scope's data key (`global`, or a project's `org/repo`) and opens them again. A scope's
 * key is made on first use: 32 random bytes, recorded in the log only wrapped by the master key. Opened keys
 * stay in memory, never anywhere else. (MasterKeyCheck has checked them all at start.)
 */
@Injectable()
export class DataKeys {
  private readonly open = new Map<string, OpenKey>();

  constructor(
    private readonly keys: MasterKeys,
    private readonly recorder: EventRecorder,
  ) {}

  async seal(scope: string, plaintext: string, context: string): Promise<Sealed> {
    const { id, key } = await this.keyOf(scope, true);
    return seal(key, id, Buffer.from(plaintext), context);
  }

  /** The value in clear; an error naming the scope (never the value) when it cannot be opened. */
  async unseal(scope: string, value: Sealed, context: string): Promise<string> {
    const { id, key } = await this.keyOf(scope, false);
    if (value.key !== id) {
      throw new Error(
        `a value of ${scope} is sealed with data key ${value.key}, which was replaced by ${id} (its master key ` +
          'was lost): give it again',
      );
    }
    try {
      return unseal(key, value, context).toString();
    } catch {
      throw new Error(`a value of ${scope} (${context}) does not open with its key: it was changed`);
    }
  }

  private async keyOf(scope: string, create: boolean): Promise<OpenKey> {
    const known = this.open.get(scope);
    if (known) return known;
    const master = this.keys.current;
    for (;;) {
      const ring = await this.recorder.load(new DataKeyRing(scope), DataKeyRing.streamId(scope));
      const current = ring.current;
      if (current)
        return this.remember(scope, current.keyId, unwrap(master, scope, current.keyId, current.wrapped));
      if (!create) throw new Error(`${scope} has no data key`);
      const { keyId, key, wrapped } = newDataKey(master, scope);
      ring.create(keyId, wrapped);
      try {
        await this.recorder.saveAs(DataKeyRing.streamId(scope), ring, 'manager');
        return this.remember(scope, keyId, key);
      } catch (error) {
        // Another request (or Manager) made the scope's key first: use that one.
        if (!(error instanceof ConcurrencyError)) throw error;
      }
    }
  }

  private remember(scope: string, id: string, key: Buffer): OpenKey {
    const open = { id, key };
    this.open.set(scope, open);
    return open;
  }
}
