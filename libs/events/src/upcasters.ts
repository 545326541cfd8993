/** Turns data of `type` at `fromVersion` into data of `fromVersion + 1`. Stored events are never rewritten. */
export interface Upcaster {
  type: string;
  fromVersion: number;
  upcast(data: unknown): unknown;
}

/** The upcasters a store applies on read, and the schema version new events of each type are written at. */
export class Upcasters {
  private readonly byType = new Map<string, Map<number, Upcaster>>();

  constructor(upcasters: Upcaster[] = []) {
    for (const upcaster of upcasters) {
      const steps = this.byType.get(upcaster.type) ?? new Map<number, Upcaster>();
      if (steps.has(upcaster.fromVersion)) {
        throw new Error(`two upcasters for ${upcaster.type} v${upcaster.fromVersion}`);
      }
      this.byType.set(upcaster.type, steps.set(upcaster.fromVersion, upcaster));
    }
  }

  /** One past the newest upcaster's source version, or 1 for a type that never changed. */
  currentVersion(type: string): number {
    const steps = this.byType.get(type);
    return steps ? Math.max(...steps.keys()) + 1 : 1;
  }

  apply<E extends { type: string; schemaVersion: number; data: unknown }>(event: E): E {
    const steps = this.byType.get(event.type);
    if (!steps) return event;
    let { schemaVersion, data } = event;
    for (let step = steps.get(schemaVersion); step; step = steps.get(schemaVersion)) {
      data = step.upcast(data);
      schemaVersion++;
    }
    return { ...event, schemaVersion, data };
  }
}
