/**
 * A table as the Guardian compares it: chains with their hooks, sets and maps with their elements, and each
 * chain's rules as canonical JSON (handles and counter values left out: the kernel chooses those).
 */
export interface TableShape {
  chains: Record<string, { type: string; hook: string; prio: number; policy: string }>;
  sets: Record<string, { type: string; map?: string; flags?: string[]; elements: string[] }>;
  rules: Record<string, string[]>;
}

type NftObject = Record<string, Record<string, unknown>>;

/** An element as nft text: `8080`, `8000-8999`, or a map entry `22001 : 10.0.0.2 . 22`. */
function elementText(element: unknown): string {
  if (Array.isArray(element)) return `${elementText(element[0])} : ${elementText(element[1])}`;
  if (typeof element === 'object' && element !== null) {
    const { range, concat } = element as { range?: unknown[]; concat?: unknown[] };
    if (range) return range.map(elementText).join('-');
    if (concat) return concat.map(elementText).join(' . ');
  }
  return String(element);
}

/** Counter values change with traffic; the shape keeps only that a counter is there. */
const withoutCounts = (expr: unknown[]) =>
  expr.map((item) =>
    typeof item === 'object' && item !== null && 'counter' in item ? { counter: null } : item,
  );

/** The shape of one table out of `nft -j list table` output. */
export function readShape(json: string): TableShape {
  const shape: TableShape = { chains: {}, sets: {}, rules: {} };
  for (const object of (JSON.parse(json) as { nftables: NftObject[] }).nftables) {
    const [kind, body] = Object.entries(object)[0];
    if (kind === 'chain') {
      const { name, type, hook, prio, policy } = body as Record<string, string> & { prio: number };
      shape.chains[name] = { type, hook, prio, policy };
    } else if (kind === 'set' || kind === 'map') {
      const {
        name,
        type,
        map,
        flags,
        elem = [],
      } = body as {
        name: string;
        type: string;
        map?: string;
        flags?: string[];
        elem?: unknown[];
      };
      const elements = elem.map(elementText).sort();
      shape.sets[name] = { type, ...(map ? { map } : {}), ...(flags ? { flags } : {}), elements };
    } else if (kind === 'rule') {
      const { chain, expr } = body as { chain: string; expr: unknown[] };
      (shape.rules[chain] ??= []).push(JSON.stringify(withoutCounts(expr)));
    }
  }
  return shape;
}

const listed = (items: string[]) =>
  items.length > 10 ? `${items.slice(0, 10).join(', ')}, …` : items.join(', ');

/** How `actual` differs from `expected`, one line a difference, for logs and drift reports. */
export function differences(expected: TableShape, actual: TableShape): string[] {
  const found: string[] = [];
  for (const [name, chain] of Object.entries(expected.chains)) {
    const seen = actual.chains[name];
    if (!seen) found.push(`chain ${name} is missing`);
    else if (JSON.stringify(seen) !== JSON.stringify(chain)) {
      found.push(`chain ${name} is ${JSON.stringify(seen)}, not ${JSON.stringify(chain)}`);
    }
    const [want, have] = [expected.rules[name] ?? [], actual.rules[name] ?? []];
    if (want.length !== have.length)
      found.push(`chain ${name} has ${have.length} rules, not the ${want.length} written`);
    else if (JSON.stringify(want) !== JSON.stringify(have))
      found.push(`chain ${name} has rules other than those written`);
  }
  for (const name of Object.keys(actual.chains)) {
    if (!expected.chains[name]) found.push(`chain ${name} was added`);
  }
  for (const [name, set] of Object.entries(expected.sets)) {
    const seen = actual.sets[name];
    if (!seen) {
      found.push(`set ${name} is missing`);
      continue;
    }
    const { elements, ...kind } = set;
    const { elements: present, ...seenKind } = seen;
    if (JSON.stringify(kind) !== JSON.stringify(seenKind)) found.push(`set ${name} has another type`);
    const [want, have] = [new Set(elements), new Set(present)];
    const missing = elements.filter((element) => !have.has(element));
    const extra = present.filter((element) => !want.has(element));
    if (missing.length > 0) found.push(`set ${name} lacks ${listed(missing)}`);
    if (extra.length > 0) found.push(`set ${name} has extra ${listed(extra)}`);
  }
  for (const name of Object.keys(actual.sets)) {
    if (!expected.sets[name]) found.push(`set ${name} was added`);
  }
  return found;
}
