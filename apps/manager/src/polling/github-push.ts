import { z } from 'zod';

/** The part of a GitHub `push` event the webhook uses. */
export const githubPush = z.object({
  ref: z.string(),
  after: z.string().regex(/^[0-9a-f]{40,64}$/),
  repository: z.object({
    name: z.string(),
    owner: z.object({ login: z.string().optional(), name: z.string().optional() }),
  }),
});
export type GitHubPush = z.infer<typeof githubPush>;
