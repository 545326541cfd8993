import { DomainEvent } from './aggregate-root';

/** A type guard for the events of one aggregate, by type name, for code that reads events of every stream. */
export function eventGuard<E extends DomainEvent>(types: readonly E['type'][]) {
  const known: ReadonlySet<string> = new Set(types);
  return <T extends { type: string }>(event: T): event is T & E => known.has(event.type);
}
