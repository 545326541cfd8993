import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataKeyRing, Sealed } from '@testausdeploy/domain';
import { ConcurrencyError } from '@testausdeploy/events';
import { EventRecorder } from '../events/event-recorder';
import { MasterKey } from './master-key';
import { seal, unseal } from './sealing';

interface OpenKey {
  id: string;
  key: Buffer;
}

/**
 * Seals values with their scope's data key (`global`, or a project's `org/repo`) and opens them again. A scope's
 * key is made on first use: 32 random bytes, recorded in the log only wrapped by the master key. Opened keys
 * stay in memory, never anywhere else.
 */
@Injectable()
export class DataKeys {
  private readonly open = new Map<string, OpenKey>();

  constructor(
    private readonly master: MasterKey,
    private readonly recorder: EventRecorder,
  ) {}

  async seal(scope: string, plaintext: string, context: string): Promise<Sealed> {
    const { id, key } = await this.keyOf(scope, true);
    return seal(key, id, Buffer.from(plaintext), context);
  }

  /** The value in clear; an error naming the scope (never the value) when it cannot be opened. */
  async unseal(scope: string, value: Sealed, context: string): Promise<string> {
    const { id, key } = await this.keyOf(scope, false);
    if (value.key !== id)
      throw new Error(`a value of ${scope} is sealed with key ${value.key}, not its key ${id}`);
    try {
      return unseal(key, value, context).toString();
    } catch {
      throw new Error(`a value of ${scope} (${context}) does not open with its key: it was changed`);
    }
  }

  private async keyOf(scope: string, create: boolean): Promise<OpenKey> {
    const known = this.open.get(scope);
    if (known) return known;
    for (;;) {
      const ring = await this.recorder.load(new DataKeyRing(scope), DataKeyRing.streamId(scope));
      const current = ring.current;
      if (current)
        return this.remember(scope, current.keyId, this.unwrap(scope, current.keyId, current.wrapped));
      if (!create) throw new Error(`${scope} has no data key`);
      const keyId = randomUUID();
      const key = randomBytes(32);
      ring.create(keyId, seal(this.master.key, this.master.id, key, wrapContext(scope, keyId)));
      try {
        await this.recorder.saveAs(DataKeyRing.streamId(scope), ring, 'manager');
        return this.remember(scope, keyId, key);
      } catch (error) {
        // Another request (or Manager) made the scope's key first: use that one.
        if (!(error instanceof ConcurrencyError)) throw error;
      }
    }
  }

  private unwrap(scope: string, keyId: string, wrapped: Sealed): Buffer {
    if (wrapped.key !== this.master.id) {
      throw new Error(
        `the data key of ${scope} is wrapped by master key ${wrapped.key}, not by the one in MASTER_KEY_FILE ` +
          `(${this.master.id}): start the Manager with the master key it was made with`,
      );
    }
    return unseal(this.master.key, wrapped, wrapContext(scope, keyId));
  }

  private remember(scope: string, id: string, key: Buffer): OpenKey {
    const open = { id, key };
    this.open.set(scope, open);
    return open;
  }
}

const wrapContext = (scope: string, keyId: string) => `data-key ${scope} ${keyId}`;
