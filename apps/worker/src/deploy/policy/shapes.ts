/*
 * The vocabulary of the deploy policy's allow-list (allow-list.ts): each shape says which values a key may
 * have, and refuses anything else with the key's path and a reason. An object shape lists its keys: a key it
 * does not list is refused, whatever it is, so a key a newer compose adds is refused until it is allowed here.
 */

/** One way a compose project breaks the policy: where (`services.web.volumes[0]`) and why. */
export interface Finding {
  path: string;
  rule: string;
  /** The finding is about a key (refused, or not on the allow-list), not about a value. */
  key?: true;
}

/** Where a value is, where its findings go, and what the rules may consult (the project being checked). */
export class At<C> {
  constructor(
    readonly path: string,
    readonly context: C,
    private readonly findings: Finding[],
  ) {}

  refuse(rule: string, about: 'value' | 'key' = 'value'): void {
    this.findings.push({ path: this.path, rule, ...(about === 'key' && { key: true as const }) });
  }

  key(name: string): At<C> {
    const part = /^[A-Za-z0-9_.-]+$/.test(name) ? name : JSON.stringify(name);
    return new At(this.path ? `${this.path}.${part}` : part, this.context, this.findings);
  }

  index(index: number): At<C> {
    return new At(`${this.path}[${index}]`, this.context, this.findings);
  }
}

export interface Shape<C> {
  /** What the value must be, as a message says it: "a string", "true or false". */
  readonly expected: string;
  /** An object shape's keys: those allowed with their shapes, those refused with their reasons. */
  readonly keys?: { allowed: Readonly<Record<string, Shape<C>>>; refused: Readonly<Record<string, string>> };
  /** The shapes inside a list (`[]`), a mapping (`*`) or a choice (``), for walking the whole allow-list. */
  readonly inner?: readonly { step: '[]' | '*' | ''; shape: Shape<C> }[];
  /** Whether the value is of this shape's kind (a string, a list, a mapping), before any rule. */
  accepts(value: unknown): boolean;
  check(value: unknown, at: At<C>): void;
}

export type Rule<C, T> = (value: T, at: At<C>) => void;

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A shape of one kind of value, with rules on top of the kind. */
function kind<C, T>(
  expected: string,
  accepts: (value: unknown) => value is T,
  rules: Rule<C, T>[],
): Shape<C> {
  return {
    expected,
    accepts,
    check(value, at) {
      if (!accepts(value)) return at.refuse(`must be ${expected}`);
      for (const rule of rules) rule(value, at);
    },
  };
}

export function text<C>(...rules: Rule<C, string>[]): Shape<C> {
  return kind('a string', (value): value is string => typeof value === 'string', rules);
}

/** A string, or a number compose would take as one (`user: 1000`, `expose: 3000`). */
export function word<C>(...rules: Rule<C, string>[]): Shape<C> {
  const inner = rules.map(
    (rule): Rule<C, string | number> =>
      (value, at) =>
        rule(String(value), at),
  );
  return kind(
    'a string',
    (value): value is string | number => typeof value === 'string' || typeof value === 'number',
    inner,
  );
}

export function bool<C>(...rules: Rule<C, boolean>[]): Shape<C> {
  return kind('true or false', (value): value is boolean => typeof value === 'boolean', rules);
}

/** A whole number (or a string of one, as compose renders some), within bounds. */
export function int<C>(min: number, max: number, ...rules: Rule<C, number>[]): Shape<C> {
  const isInt = (value: unknown): value is number | string =>
    (typeof value === 'number' && Number.isInteger(value)) ||
    (typeof value === 'string' && /^-?\d+$/.test(value));
  return kind(`a whole number`, isInt, [
    (value, at) => {
      const number = Number(value);
      if (number < min || number > max) at.refuse(`${number} is not allowed: ${min} to ${max}`);
      else for (const rule of rules) rule(number, at);
    },
  ]);
}

/** Only `allowed` (compared as compose renders it); `why` says what the others would do. */
export function only<C>(allowed: readonly unknown[], why: string): Shape<C> {
  return {
    expected: allowed.map((value) => JSON.stringify(value)).join(' or '),
    accepts: () => true,
    check(value, at) {
      if (!allowed.some((ok) => ok === value)) at.refuse(`${JSON.stringify(value)} is not allowed: ${why}`);
    },
  };
}

export function list<C>(of: Shape<C>, max = 1000): Shape<C> {
  return {
    expected: `a list of ${of.expected}`,
    inner: [{ step: '[]', shape: of }],
    accepts: Array.isArray,
    check(value, at) {
      if (!Array.isArray(value)) return at.refuse(`must be a list of ${of.expected}`);
      if (value.length > max) return at.refuse(`has ${value.length} entries: at most ${max}`);
      value.forEach((item, index) => of.check(item, at.index(index)));
    },
  };
}

/** A mapping with names of the user's choosing (environment variables, labels): each value of shape `of`. */
export function mapping<C>(of: Shape<C>, keyRule?: Rule<C, string>, max = 1000): Shape<C> {
  return {
    expected: `a mapping of ${of.expected}`,
    inner: [{ step: '*', shape: of }],
    accepts: isMapping,
    check(value, at) {
      if (!isMapping(value)) return at.refuse(`must be a mapping of ${of.expected}`);
      const entries = Object.entries(value);
      if (entries.length > max) return at.refuse(`has ${entries.length} entries: at most ${max}`);
      for (const [key, item] of entries) {
        keyRule?.(key, at.key(key));
        of.check(item, at.key(key));
      }
    },
  };
}

/**
 * A mapping with compose's own keys: each allowed key with its shape, some refused with a reason of their own
 * (`privileged`, `devices`), and any other key refused as not allowed. `x-` extensions, which compose ignores,
 * are let through.
 */
export function object<C>(
  fields: Record<string, Shape<C>>,
  refused: Record<string, string> = {},
  ...rules: Rule<C, Record<string, unknown>>[]
): Shape<C> {
  return {
    expected: 'a mapping',
    keys: { allowed: fields, refused },
    accepts: isMapping,
    check(value, at) {
      if (!isMapping(value)) return at.refuse('must be a mapping');
      for (const [key, item] of Object.entries(value)) {
        if (key.startsWith('x-')) continue;
        if (Object.hasOwn(fields, key)) fields[key].check(item, at.key(key));
        else if (Object.hasOwn(refused, key)) at.key(key).refuse(refused[key], 'key');
        else at.key(key).refuse(`"${key}" is not on the deploy policy's allow-list`, 'key');
      }
      for (const rule of rules) rule(value, at);
    },
  };
}

/** The first alternative whose kind the value is decides (a string one way, a mapping another). */
export function either<C>(...alternatives: Shape<C>[]): Shape<C> {
  const expected = alternatives.map((shape) => shape.expected).join(' or ');
  return {
    expected,
    inner: alternatives.map((shape) => ({ step: '' as const, shape })),
    accepts: (value) => alternatives.some((shape) => shape.accepts(value)),
    check(value, at) {
      const shape = alternatives.find((alternative) => alternative.accepts(value));
      if (shape) shape.check(value, at);
      else at.refuse(`must be ${expected}`);
    },
  };
}

/** `null` (compose's "defaults"), or `shape`. */
export function orNull<C>(shape: Shape<C>): Shape<C> {
  return {
    expected: shape.expected,
    inner: [{ step: '', shape }],
    accepts: (value) => value === null || shape.accepts(value),
    check: (value, at) => (value === null ? undefined : shape.check(value, at)),
  };
}

/** A pattern a string must match, with what it means. */
export function matching<C>(pattern: RegExp, meaning: string): Rule<C, string> {
  return (value, at) => {
    if (!pattern.test(value)) at.refuse(`"${value}" is not ${meaning}`);
  };
}

/** At most `max` characters: giant values are refused before anything reads them. */
export function short<C>(max: number): Rule<C, string> {
  return (value, at) => {
    if (value.length > max) at.refuse(`is ${value.length} characters long: at most ${max}`);
  };
}
