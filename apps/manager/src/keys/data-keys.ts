import { Injectable } from '@nestjs/common';
import { DataKeyRing, Sealed } from '@testausdeploy/domain';
import { ConcurrencyError } from '@testausdeploy/events';
import { EventRecorder } from '../events/event-recorder';
import { KeyVault } from './key-vault';
import { MasterKeys } from './master-key';
import { seal, unseal } from './sealing';
import { newDataKey, unwrap } from './wrapping';

interface OpenKey {
  id: string;
  key: Buffer;
}

/**
 * Seals values with their scope's data key (`global`, or a project's `org/repo`) and opens them again. A scope's
 * key is made on first use: 32 random bytes, kept in the key vault wrapped by the master key, its life recorded
 * in the log. Opened keys stay in memory, never anywhere else. (MasterKeyCheck has checked them all at start.)
 */
@Injectable()
export class DataKeys {
  private readonly open = new Map<string, OpenKey>();
  /** Per scope, how many times its key was destroyed here: a key read before a destruction is not kept. */
  private readonly destroyed = new Map<string, number>();

  constructor(
    private readonly keys: MasterKeys,
    private readonly recorder: EventRecorder,
    private readonly vault: KeyVault,
  ) {}

  async seal(scope: string, plaintext: string, context: string): Promise<Sealed> {
    const { id, key } = await this.keyOf(scope, true);
    return seal(key, id, Buffer.from(plaintext), context);
  }

  /** The value in clear; an error naming the scope (never the value) when it cannot be opened. */
  async unseal(scope: string, value: Sealed, context: string): Promise<string> {
    const { id, key } = await this.keyOf(scope, false).catch(async (error: Error) => {
      throw (await this.retired(scope, value)) ?? error;
    });
    if (value.key !== id) {
      throw (
        (await this.retired(scope, value)) ??
        new Error(`a value of ${scope} is sealed with data key ${value.key}, which ${scope} never had`)
      );
    }
    try {
      return unseal(key, value, context).toString();
    } catch {
      throw new Error(`a value of ${scope} (${context}) does not open with its key: it was changed`);
    }
  }

  /**
   * Destroys the scope's data key (its project was removed): recorded first, then gone from the vault and from
   * memory, so that what it sealed can never be opened again. A scope without a key has nothing to destroy.
   */
  async destroy(scope: string, reason: string, actor: string): Promise<void> {
    this.forget(scope);
    const ring = await this.ring(scope);
    const current = ring.current;
    if (!current) return;
    ring.destroy(reason);
    await this.recorder.saveAs(DataKeyRing.streamId(scope), ring, actor);
    this.forget(scope);
    await this.vault.remove(current.keyId);
  }

  /** Drops the scope's opened key, and makes any opening of it under way drop what it read. */
  private forget(scope: string): void {
    this.destroyed.set(scope, (this.destroyed.get(scope) ?? 0) + 1);
    this.open.delete(scope);
  }

  /** Why a value sealed with a key the scope no longer uses cannot be opened, if it is one. */
  private async retired(scope: string, value: Sealed): Promise<Error | null> {
    const what = (await this.ring(scope)).retired.get(value.key);
    return what
      ? new Error(
          `a value of ${scope} is sealed with data key ${value.key}, which was ${what}: give it again`,
        )
      : null;
  }

  private ring(scope: string): Promise<DataKeyRing> {
    return this.recorder.load(new DataKeyRing(scope), DataKeyRing.streamId(scope));
  }

  private async keyOf(scope: string, create: boolean): Promise<OpenKey> {
    const cached = this.open.get(scope);
    if (cached) return cached;
    const generation = this.destroyed.get(scope) ?? 0;
    const master = this.keys.current;
    for (;;) {
      const ring = await this.ring(scope);
      const current = ring.current;
      if (current) {
        const entry = await this.vault.get(current.keyId);
        if (!entry)
          throw new Error(`the data key ${current.keyId} of ${scope} is missing from the key vault`);
        const key = unwrap(master, scope, current.keyId, entry.wrapped);
        return this.remember(scope, generation, current.keyId, key);
      }
      if (!create) throw new Error(`${scope} has no data key`);
      const { keyId, key, wrapped } = newDataKey(master, scope);
      // In the vault first: a key the log names is always there (a crash leaves at most an unnamed one).
      await this.vault.put({ _id: keyId, scope, wrapped, createdAt: new Date() });
      ring.create(keyId, master.id);
      try {
        await this.recorder.saveAs(DataKeyRing.streamId(scope), ring, 'manager');
        return this.remember(scope, generation, keyId, key);
      } catch (error) {
        // Another request (or Manager) made the scope's key first: use that one. Any other failure may have
        // recorded the key after all, so its vault entry stays (a start removes it if the log never named it).
        if (!(error instanceof ConcurrencyError)) throw error;
        await this.vault.remove(keyId);
      }
    }
  }

  /** Keeps the opened key, unless the scope's key was destroyed since the opening began. */
  private remember(scope: string, generation: number, id: string, key: Buffer): OpenKey {
    const open = { id, key };
    if ((this.destroyed.get(scope) ?? 0) === generation) this.open.set(scope, open);
    return open;
  }
}
