import { Collection } from 'mongodb';
import { StoredEvent } from './stored-event';
import { Upcasters } from './upcasters';

/** What an append asks of the log before it is written. */
export interface AppendTarget {
  streamId: string;
  expectedVersion: number;
  metadata: { commandId?: string | null };
}

/**
 * What the log already says about a group of appends: the versions its streams are at and the commands recorded
 * before. Every look-up is by an exact index key (stream and version, command id, position): mongo-java-server
 * scans the whole collection for anything else, and these run on every append.
 */
export class StreamLookups {
  constructor(
    private readonly events: Collection<StoredEvent>,
    private readonly upcasters: Upcasters,
  ) {}

  /**
   * The version each stream of the group is at, as far as the group's expectations go, starting from `known`
   * (versions as of the end the group continues). A quick look (`thorough` false) only checks that a stream
   * reached the version expected; whether it went further is left to the unique index.
   */
  async versions(
    group: AppendTarget[],
    known: Map<string, number>,
    thorough: boolean,
  ): Promise<Map<string, number>> {
    const expected = new Map<string, number>();
    for (const append of group) {
      if (!known.has(append.streamId) && !expected.has(append.streamId)) {
        expected.set(append.streamId, append.expectedVersion);
      }
    }
    const found = await Promise.all(
      [...expected].map(async ([streamId, version]) => {
        const at = thorough
          ? await this.versionIfAt(streamId, version)
          : await this.versionIfReached(streamId, version);
        return [streamId, at] as const;
      }),
    );
    return new Map([...known, ...found.filter((entry): entry is [string, number] => entry[1] !== undefined)]);
  }

  /** Earlier committed appends (up to `end`) of the group's command ids, by id. */
  async earlierCommands(group: AppendTarget[], end: number): Promise<Map<string, StoredEvent[]>> {
    const ids = [
      ...new Set(group.map((append) => append.metadata.commandId).filter((id): id is string => !!id)),
    ];
    const firsts = await Promise.all(
      ids.map((commandId) => this.events.findOne({ commandKey: commandId }, { projection: { _id: 0 } })),
    );
    const found = new Map<string, StoredEvent[]>();
    for (const first of firsts) {
      // One beyond the committed end is another writer's, still in flight: the insert will meet it and retry.
      if (!first || first.batch.last > end) continue;
      const positions = Array.from(
        { length: first.batch.last - first.batch.first + 1 },
        (_, i) => first.batch.first + i,
      );
      const events = await Promise.all(
        positions.map((position) => this.events.findOne({ position }, { projection: { _id: 0 } })),
      );
      found.set(
        first.metadata.commandId as string,
        events.map((event) => this.upcasters.apply(event as StoredEvent)),
      );
    }
    return found;
  }

  /**
   * `version` if the stream has reached it, for a quick try: whether it went further is left to the unique
   * index, which refuses the next version if it exists. Versions are gapless, so version 0 is always reached.
   */
  private async versionIfReached(streamId: string, version: number): Promise<number | undefined> {
    if (version === 0) return 0;
    const at = await this.events.findOne({ streamId, version }, { projection: { _id: 1 } });
    return at ? version : undefined;
  }

  /** `version` if the stream is exactly there; otherwise its real version, found the slow way (a conflict). */
  private async versionIfAt(streamId: string, version: number): Promise<number> {
    const [at, next] = await Promise.all([
      version === 0 ? true : this.events.findOne({ streamId, version }, { projection: { _id: 1 } }),
      this.events.findOne({ streamId, version: version + 1 }, { projection: { _id: 1 } }),
    ]);
    if (at && !next) return version;
    const last = await this.events
      .find({ streamId }, { projection: { version: 1 } })
      .sort({ version: -1 })
      .limit(1)
      .next();
    return last?.version ?? 0;
  }
}
