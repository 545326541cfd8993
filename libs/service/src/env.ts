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

export const env = {
  host: (fallback: string) => z.string().min(1).default(fallback),
  port: (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Comma-separated list, blanks dropped. */
  list: (fallback: string) =>
    z
      .string()
      .default(fallback)
      .transform((value) =>
        value
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item.length > 0),
      ),
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
