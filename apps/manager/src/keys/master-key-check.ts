import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataKeyRing } from '@testausdeploy/domain';
import { EventStore } from '@testausdeploy/events';
import { EventRecorder } from '../events/event-recorder';
import { MasterKeys } from './master-key';
import { newDataKey, unwrap, wrap } from './wrapping';

/**
 * At start, before anything is served: every data key in the log must open with the master key. One wrapped by
 * MASTER_KEY_PREVIOUS_FILE's key (a rotation) is wrapped anew; one wrapped by the key MASTER_KEY_LOST names is
 * replaced by a new data key; one wrapped by any other key stops the Manager, naming the keys, with nothing
 * written.
 */
@Injectable()
export class MasterKeyCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger(MasterKeyCheck.name);

  constructor(
    private readonly keys: MasterKeys,
    private readonly recorder: EventRecorder,
    private readonly store: EventStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { current, previous, lost } = this.keys;
    const streams = await this.store.streamIdsWithPrefix(DataKeyRing.PREFIX);
    const rings = await Promise.all(
      streams.map((streamId) =>
        this.recorder.load(new DataKeyRing(streamId.slice(DataKeyRing.PREFIX.length)), streamId),
      ),
    );
    const wrapped = rings.flatMap((ring) => (ring.current ? [{ ring, ...ring.current }] : []));
    this.refuseMistakes(wrapped.map(({ ring }) => ring));
    const known = [current.id, previous?.id, lost];
    const foreign = wrapped.filter(({ wrapped: { key } }) => !known.includes(key));
    if (foreign.length > 0) {
      const also = previous ? ` (MASTER_KEY_PREVIOUS_FILE ${previous.id})` : '';
      const which = foreign.map(({ scope, wrapped: { key } }) => `${scope} (by ${key})`).join(', ');
      throw new Error(
        `MASTER_KEY_FILE holds master key ${current.id}${also}, but the data keys of ${which} are wrapped by ` +
          'another: start the Manager with the master key that wrapped them (during a rotation, the old one in ' +
          'MASTER_KEY_PREVIOUS_FILE; only if it is lost for good, MASTER_KEY_LOST=<its id> gives those scopes ' +
          'new data keys, and what they sealed has to be given again); nothing was changed',
      );
    }
    for (const { ring, scope, keyId, wrapped: by } of wrapped) {
      if (by.key === current.id) {
        unwrap(current, scope, keyId, by);
      } else if (previous && by.key === previous.id) {
        ring.rewrap(wrap(current, scope, keyId, unwrap(previous, scope, keyId, by)), previous.id);
        await this.recorder.saveAs(DataKeyRing.streamId(scope), ring, 'manager');
        this.logger.log(
          `the data key of ${scope} is wrapped by master key ${current.id} now, not ${previous.id}`,
        );
      } else {
        const replacement = newDataKey(current, scope);
        ring.replaceLost(replacement.keyId, replacement.wrapped);
        await this.recorder.saveAs(DataKeyRing.streamId(scope), ring, 'manager');
        this.logger.warn(
          `the data key of ${scope} was wrapped by the lost master key ${by.key}: a new one takes its place, ` +
            'and what the old one sealed has to be given again',
        );
      }
    }
  }

  /**
   * The two ways to lose what is sealed by mistake: the old key's file after a rotation (the newer key looks
   * foreign to it, and declaring that one lost would replace every data key), and a MASTER_KEY_LOST left set.
   */
  private refuseMistakes(rings: DataKeyRing[]): void {
    const { current, lost } = this.keys;
    const newer = rings.find((ring) => ring.rotatedFrom(current.id));
    if (newer?.current) {
      throw new Error(
        `MASTER_KEY_FILE holds master key ${current.id}, which a rotation replaced by ${newer.current.wrapped.key}: ` +
          'start the Manager with that one; nothing was changed',
      );
    }
    if (lost && !rings.some((ring) => ring.current?.wrapped.key === lost)) {
      throw new Error(
        `MASTER_KEY_LOST names master key ${lost}, which wraps no data key: remove the setting; nothing was changed`,
      );
    }
  }
}
