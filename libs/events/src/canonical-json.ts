/**
 * JSON with object keys sorted at every level and Dates as ISO strings: the same value always gives the same
 * text, whatever order its keys were built in or how it round-tripped through BSON.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value));
}

function normalise(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(normalise);
  if (value !== null && typeof value === 'object') {
    const source = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(source)
        .filter((key) => source[key] !== undefined)
        .sort()
        .map((key) => [key, normalise(source[key])]),
    );
  }
  return value;
}

/** A plain-JSON copy of event data: what is stored is exactly what is hashed (no undefined, no class instances). */
export function plainJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value ?? null)) as T;
}
