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

/** A plain-JSON copy of event data: what is stored is exactly what is hashed (no undefined, no class instances). */
export function plainJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value ?? null)) as T;
}
