import { z } from 'zod';

/**
 * A string that must match one of the domain's patterns; a refusal says what the domain's `problem` says of the
 * value, so the schema, the check and the message are the domain's (which checks again).
 */
export const named = (pattern: RegExp, problem: (value: string) => string | null | undefined) =>
  z.string().regex(pattern, { error: (issue) => problem(String(issue.input)) ?? undefined });
