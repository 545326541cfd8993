import { z } from 'zod';

/** Thrown at start-up when the environment does not describe a runnable service. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/** Validates the environment against a schema once, at start-up, and lists every problem at the same time. */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  return result.data;
}

export interface PortRange {
  from: number;
  to: number;
}

/** `from-to` (or one port) as a range, or null if it is not one within 1-65535. */
function portRange(text: string): PortRange | null {
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text.trim());
  if (!match) return null;
  const [from, to] = [Number(match[1]), Number(match[2] ?? match[1])];
  return from >= 1 && to <= 65535 && from <= to ? { from, to } : null;
}

/** Comma-separated items, blanks dropped. */
const splitList = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

export const env = {
  host: (fallback: string) => z.string().min(1).default(fallback),
  port: (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `true` or `false`. */
  flag: (fallback: boolean) =>
    z
      .enum(['true', 'false'])
      .default(fallback ? 'true' : 'false')
      .transform((value) => value === 'true'),
  /** Comma-separated list, blanks dropped. */
  list: (fallback: string) => z.string().default(fallback).transform(splitList),
  /** One port range, `from-to`. */
  portRange: (fallback: string) =>
    z
      .string()
      .default(fallback)
      .transform((text, ctx) => {
        const range = portRange(text);
        if (range) return range;
        ctx.addIssue({ code: 'custom', message: 'must be a port range like 8000-8999' });
        return z.NEVER;
      }),
  /** Comma-separated ports and port ranges (`22,8000-8999`). */
  portRanges: (fallback: string) =>
    z
      .string()
      .default(fallback)
      .transform((text, ctx) => {
        const items = splitList(text);
        const ranges = items.map(portRange);
        const bad = items.filter((_, i) => ranges[i] === null);
        if (bad.length === 0) return ranges as PortRange[];
        ctx.addIssue({ code: 'custom', message: `not a port or port range: ${bad.join(', ')}` });
        return z.NEVER;
      }),
  /** Comma-separated `key=value` pairs. */
  map: () =>
    z
      .string()
      .default('')
      .transform((value, ctx) => {
        const entries: Record<string, string> = {};
        for (const pair of value.split(',').filter((item) => item.trim().length > 0)) {
          const at = pair.indexOf('=');
          if (at <= 0) {
            ctx.addIssue({ code: 'custom', message: `"${pair}" is not key=value` });
            return z.NEVER;
          }
          entries[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
        }
        return entries;
      }),
};
