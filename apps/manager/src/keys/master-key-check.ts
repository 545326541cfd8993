import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataKeyRing } from '@testausdeploy/domain';
import { EventStore } from '@testausdeploy/events';
import { EventRecorder } from '../events/event-recorder';
import { KeyVault, VaultEntry } from './key-vault';
import { MasterKeys } from './master-key';
import { newDataKey, unwrap, wrap } from './wrapping';

/** How old a vault entry the log never named must be before a start takes it for a crash's leftover. */
const UNRECORDED_AFTER_MS = 10 * 60_000;

/** A data key in use: its scope's ring (the log) and its entry in the vault, if the vault has it. */
interface InUse {
  ring: DataKeyRing;
  scope: string;
  keyId: string;
  entry: VaultEntry | undefined;
}

/**
 * At start, before anything is served: every data key in use must open with the master key. One wrapped by
 * MASTER_KEY_PREVIOUS_FILE's key (a rotation) is wrapped anew; one wrapped by the key MASTER_KEY_LOST names is
 * replaced by a new data key; one wrapped by any other key stops the Manager, naming the keys, with nothing
 * written. Then it finishes what a crash left half-done: a rotation not yet recorded, a key destroyed or replaced
 * but still in the vault, a key put in the vault but never recorded.
 */
@Injectable()
export class MasterKeyCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger(MasterKeyCheck.name);

  constructor(
    private readonly keys: MasterKeys,
    private readonly recorder: EventRecorder,
    private readonly store: EventStore,
    private readonly vault: KeyVault,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const streams = await this.store.streamIdsWithPrefix(DataKeyRing.PREFIX);
    const rings = await Promise.all(
      streams.map((streamId) =>
        this.recorder.load(new DataKeyRing(streamId.slice(DataKeyRing.PREFIX.length)), streamId),
      ),
    );
    const entries = new Map((await this.vault.all()).map((entry) => [entry._id, entry]));
    this.refuseMistakes(rings, [...entries.values()]);
    const inUse: InUse[] = rings.flatMap((ring) =>
      ring.current
        ? [{ ring, scope: ring.scope, keyId: ring.current.keyId, entry: entries.get(ring.current.keyId) }]
        : [],
    );
    this.refuseForeign(inUse);
    for (const key of inUse) await this.check(key);
    await this.clearUnused(rings, [...entries.values()]);
  }

  /**
   * Removes from the vault the keys the log retired (a destruction or replacement that stopped before it), and
   * those it never named that are older than UNRECORDED_AFTER_MS (a scope's first key whose recording failed):
   * a younger one may be another Manager's, about to be recorded, so it is looked up again first.
   */
  private async clearUnused(rings: DataKeyRing[], entries: VaultEntry[]): Promise<void> {
    const named = new Set(rings.flatMap((ring) => (ring.current ? [ring.current.keyId] : [])));
    const retired = new Set(rings.flatMap((ring) => [...ring.retired.keys()]));
    for (const entry of entries) {
      if (named.has(entry._id)) continue;
      if (!retired.has(entry._id)) {
        if (Date.now() - entry.createdAt.getTime() < UNRECORDED_AFTER_MS) continue;
        const ring = await this.recorder.load(
          new DataKeyRing(entry.scope),
          DataKeyRing.streamId(entry.scope),
        );
        if (ring.current?.keyId === entry._id) continue;
      }
      await this.vault.remove(entry._id);
    }
  }

  private async check({ ring, scope, keyId, entry }: InUse): Promise<void> {
    const { current, previous } = this.keys;
    if (!entry) {
      this.logger.error(
        `the data key ${keyId} of ${scope} is missing from the key vault (the data_keys collection): what it ` +
          'sealed cannot be opened; restore the collection from a backup of the database, or give those values again',
      );
      return;
    }
    const by = entry.wrapped.key;
    if (by === current.id) {
      unwrap(current, scope, keyId, entry.wrapped);
      // A rotation that rewrapped the key and stopped before recording it.
      if (ring.current?.masterKey !== current.id) {
        ring.rewrap(current.id);
        await this.save(ring);
      }
    } else if (previous && by === previous.id) {
      await this.vault.rewrap(
        keyId,
        wrap(current, scope, keyId, unwrap(previous, scope, keyId, entry.wrapped)),
      );
      ring.rewrap(current.id);
      await this.save(ring);
      this.logger.log(
        `the data key of ${scope} is wrapped by master key ${current.id} now, not ${previous.id}`,
      );
    } else {
      const replacement = newDataKey(current, scope);
      await this.vault.put({
        _id: replacement.keyId,
        scope,
        wrapped: replacement.wrapped,
        createdAt: new Date(),
      });
      ring.replaceLost(replacement.keyId, current.id);
      await this.save(ring);
      await this.vault.remove(keyId);
      this.logger.warn(
        `the data key of ${scope} was wrapped by the lost master key ${by}: a new one takes its place, ` +
          'and what the old one sealed has to be given again',
      );
    }
  }

  private async save(ring: DataKeyRing): Promise<void> {
    await this.recorder.saveAs(DataKeyRing.streamId(ring.scope), ring, 'manager');
  }

  /** Data keys wrapped by a master key this start was not given: nothing is changed, the start stops. */
  private refuseForeign(inUse: InUse[]): void {
    const { current, previous, lost } = this.keys;
    const known = [current.id, previous?.id, lost];
    const foreign = inUse.filter(({ entry }) => entry && !known.includes(entry.wrapped.key));
    if (foreign.length === 0) return;
    const also = previous ? ` (MASTER_KEY_PREVIOUS_FILE ${previous.id})` : '';
    const which = foreign.map(({ scope, entry }) => `${scope} (by ${entry?.wrapped.key})`).join(', ');
    throw new Error(
      `MASTER_KEY_FILE holds master key ${current.id}${also}, but the data keys of ${which} are wrapped by ` +
        'another: start the Manager with the master key that wrapped them (during a rotation, the old one in ' +
        'MASTER_KEY_PREVIOUS_FILE; only if it is lost for good, MASTER_KEY_LOST=<its id> gives those scopes ' +
        'new data keys, and what they sealed has to be given again); nothing was changed',
    );
  }

  /**
   * The two ways to lose what is sealed by mistake: the old key's file after a rotation (the newer key looks
   * foreign to it, and declaring that one lost would replace every data key), and a MASTER_KEY_LOST left set.
   */
  private refuseMistakes(rings: DataKeyRing[], entries: VaultEntry[]): void {
    const { current, lost } = this.keys;
    const newer = rings.find((ring) => ring.rotatedFrom(current.id));
    if (newer?.current) {
      throw new Error(
        `MASTER_KEY_FILE holds master key ${current.id}, which a rotation replaced by ${newer.current.masterKey}: ` +
          'start the Manager with that one; nothing was changed',
      );
    }
    if (lost && !entries.some((entry) => entry.wrapped.key === lost)) {
      throw new Error(
        `MASTER_KEY_LOST names master key ${lost}, which wraps no data key: remove the setting; nothing was changed`,
      );
    }
  }
}
