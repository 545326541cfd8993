import { AggregateRoot } from '../aggregate-root';
import { Conflict } from '../errors';
import { DataKeyCreated, DataKeyEvent, Sealed } from './data-key.events';

/** The data key of one scope, one stream per scope: made once, on first use. */
export class DataKeyRing extends AggregateRoot<DataKeyEvent> {
  private created: DataKeyCreated['data'] | null = null;

  constructor(readonly scope: string) {
    super();
  }

  static streamId(scope: string): string {
    return `data-key-${scope}`;
  }

  get current(): DataKeyCreated['data'] | null {
    return this.created;
  }

  create(keyId: string, wrapped: Sealed): void {
    if (this.created) throw new Conflict(`the data key of ${this.scope} exists`);
    this.record({ type: 'DataKeyCreated', data: { scope: this.scope, keyId, wrapped } });
  }

  protected apply(event: DataKeyEvent): void {
    this.created = event.data;
  }
}
