/**
 * JSON with object keys sorted at every level and Dates as ISO strings: the same value always gives the same
 * text, whatever order its keys were built in or how it round-tripped through BSON. Written out directly (no
 * sorted copy of the value first): it runs over every event appended and every event verified.
 */
export function canonicalJson(value: unknown): string {
  return write(value) ?? 'null';
}

/** The text of `value`, or undefined where JSON.stringify would leave it out (undefined, functions). */
function write(value: unknown): string | undefined {
  if (value === null) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => write(item) ?? 'null').join(',')}]`;
  const source = value as Record<string, unknown>;
  const members: string[] = [];
  for (const key of Object.keys(source).sort()) {
    const text = write(source[key]);
    if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${members.join(',')}}`;
}

/**
 * A plain-JSON copy of event data with its keys in sorted order at every level: what is stored is exactly what
 * is hashed (no undefined, no class instances), and JSON.stringify of it is already its canonical JSON.
 */
export function canonicalCopy<T>(value: T): T {
  return sortedKeys(JSON.parse(JSON.stringify(value ?? null))) as T;
}

/**
 * `value` with the members of every plain object in sorted key order (and undefined members left out); other
 * objects, such as Dates, are kept as they are. JSON.stringify of the result equals canonicalJson of `value`.
 */
export function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const source = value as Record<string, unknown>;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(source).sort()) {
    if (source[key] === undefined) continue;
    // Defined, not assigned: a member named __proto__ (JSON.parse makes one) would set the prototype instead.
    Object.defineProperty(sorted, key, {
      value: sortedKeys(source[key]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return sorted;
}
