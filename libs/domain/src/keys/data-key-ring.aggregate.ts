import { AggregateRoot } from '../aggregate-root';
import { Conflict } from '../errors';
import { DataKeyEvent } from './data-key.events';

/** The scope's data key in use: its id and the master key that wraps it. */
export interface CurrentDataKey {
  keyId: string;
  masterKey: string;
}

/**
 * The data key of one scope, one stream per scope: made on first use, wrapped again at a rotation, replaced when
 * its master key is lost, destroyed when its project is removed (and made anew if the scope seals again).
 */
export class DataKeyRing extends AggregateRoot<DataKeyEvent> {
  /** The stream's prefix: `data-key-<scope>`. */
  static readonly PREFIX = 'data-key-';
  private key: CurrentDataKey | null = null;
  private readonly retiredKeys = new Map<string, string>();
  private readonly replacedMasterKeys = new Set<string>();

  constructor(readonly scope: string) {
    super();
  }

  static streamId(scope: string): string {
    return `${DataKeyRing.PREFIX}${scope}`;
  }

  /** The key in use, or null when there is none (never made, or destroyed). */
  get current(): CurrentDataKey | null {
    return this.key;
  }

  /**
   * The keys this scope no longer uses (none may stay in the key vault), each with what became of it: `replaced
   * by <id> (its master key was lost)`, or `destroyed (<why>)`.
   */
  get retired(): ReadonlyMap<string, string> {
    return this.retiredKeys;
  }

  /** Whether a rotation wrapped this key anew in place of master key `id`: `id` is older than the current one. */
  rotatedFrom(id: string): boolean {
    return this.replacedMasterKeys.has(id);
  }

  create(keyId: string, masterKey: string): void {
    if (this.key) throw new Conflict(`the data key of ${this.scope} exists`);
    this.record({ type: 'DataKeyCreated', data: { scope: this.scope, keyId, masterKey } });
  }

  /** The same key, wrapped by another master key. */
  rewrap(masterKey: string): void {
    const { keyId, masterKey: previousMasterKey } = this.ensureKey();
    this.record({
      type: 'DataKeyRewrapped',
      data: { scope: this.scope, keyId, masterKey, previousMasterKey },
    });
  }

  /** Puts a new data key in the place of one whose master key is lost. */
  replaceLost(keyId: string, masterKey: string): void {
    const lostMasterKey = this.ensureKey().masterKey;
    this.record({ type: 'DataKeyReplaced', data: { scope: this.scope, keyId, masterKey, lostMasterKey } });
  }

  destroy(reason: string): void {
    const { keyId } = this.ensureKey();
    this.record({ type: 'DataKeyDestroyed', data: { scope: this.scope, keyId, reason } });
  }

  protected apply(event: DataKeyEvent): void {
    if (event.type === 'DataKeyRewrapped') this.replacedMasterKeys.add(event.data.previousMasterKey);
    if (event.type === 'DataKeyDestroyed' && this.key) {
      this.retiredKeys.set(this.key.keyId, `destroyed (${event.data.reason})`);
    }
    if (event.type === 'DataKeyReplaced' && this.key) {
      this.retiredKeys.set(this.key.keyId, `replaced by ${event.data.keyId} (its master key was lost)`);
    }
    this.key =
      event.type === 'DataKeyDestroyed' ? null : { keyId: event.data.keyId, masterKey: event.data.masterKey };
  }

  private ensureKey(): CurrentDataKey {
    if (!this.key) throw new Conflict(`${this.scope} has no data key`);
    return this.key;
  }
}
