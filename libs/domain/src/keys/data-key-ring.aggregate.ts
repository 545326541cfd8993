import { AggregateRoot } from '../aggregate-root';
import { Conflict } from '../errors';
import { DataKeyCreated, DataKeyEvent, Sealed } from './data-key.events';

type Current = Pick<DataKeyCreated['data'], 'scope' | 'keyId' | 'wrapped'>;

/** The data key of one scope, one stream per scope: made once, on first use; wrapped again at a rotation. */
export class DataKeyRing extends AggregateRoot<DataKeyEvent> {
  /** The stream's prefix: `data-key-<scope>`. */
  static readonly PREFIX = 'data-key-';
  private created: Current | null = null;
  private readonly replacedMasterKeys = new Set<string>();

  constructor(readonly scope: string) {
    super();
  }

  static streamId(scope: string): string {
    return `${DataKeyRing.PREFIX}${scope}`;
  }

  get current(): Current | null {
    return this.created;
  }

  /** Whether a rotation wrapped this key anew in place of master key `id`: `id` is older than the current one. */
  rotatedFrom(id: string): boolean {
    return this.replacedMasterKeys.has(id);
  }

  create(keyId: string, wrapped: Sealed): void {
    if (this.created) throw new Conflict(`the data key of ${this.scope} exists`);
    this.record({ type: 'DataKeyCreated', data: { scope: this.scope, keyId, wrapped } });
  }

  /** Wraps the same key with another master key. */
  rewrap(wrapped: Sealed, previousMasterKey: string): void {
    if (!this.created) throw new Conflict(`${this.scope} has no data key`);
    const { scope, keyId } = this.created;
    this.record({ type: 'DataKeyRewrapped', data: { scope, keyId, wrapped, previousMasterKey } });
  }

  /** Puts a new data key in the place of one whose master key is lost. */
  replaceLost(keyId: string, wrapped: Sealed): void {
    if (!this.created) throw new Conflict(`${this.scope} has no data key`);
    const lostMasterKey = this.created.wrapped.key;
    this.record({ type: 'DataKeyReplaced', data: { scope: this.scope, keyId, wrapped, lostMasterKey } });
  }

  protected apply(event: DataKeyEvent): void {
    if (event.type === 'DataKeyRewrapped') this.replacedMasterKeys.add(event.data.previousMasterKey);
    const { scope, keyId, wrapped } = event.data;
    this.created = { scope, keyId, wrapped };
  }
}
