/**
 * JSON with object keys sorted at every level: the same value always gives the same text, whatever order its keys
 * were built in or how it round-tripped through BSON. Like JSON.stringify otherwise: toJSON is honoured (Dates
 * become ISO strings), undefined members are left out. Written out directly (no sorted copy of the value first):
 * it runs over every event appended and every event verified.
 */
export function canonicalJson(value: unknown): string {
  return write(value) ?? 'null';
}

/** The text of `value`, or undefined where JSON.stringify would leave it out (undefined, functions). */
function write(value: unknown): string | undefined {
  if (value === null) return 'null';
  if (typeof value !== 'object') return JSON.stringify(value);
  const json = (value as { toJSON?: unknown }).toJSON;
  if (typeof json === 'function') return write(json.call(value));
  if (Array.isArray(value)) {
    let text = '[';
    for (let index = 0; index < value.length; index++)
      text += `${index ? ',' : ''}${write(value[index]) ?? 'null'}`;
    return `${text}]`;
  }
  const source = value as Record<string, unknown>;
  let text = '';
  for (const key of Object.keys(source).sort()) {
    const member = write(source[key]);
    if (member !== undefined) text += `${text ? ',' : ''}${JSON.stringify(key)}:${member}`;
  }
  return `{${text}}`;
}

/**
 * `value` as plain JSON data (no undefined, no class instances: what is stored is exactly what is hashed), with its
 * canonical JSON, which an event's hash covers.
 */
export function canonicalCopy<T>(value: T): { value: T; json: string } {
  const json = canonicalJson(value);
  return { value: JSON.parse(json) as T, json };
}
