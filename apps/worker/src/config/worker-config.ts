import { z } from 'zod';
import { env, NodeServiceConfig, parseEnv } from '@testausdeploy/service';

export const workerConfigSchema = z.object({
  REPOS_DIR: z.string().default('/var/lib/testausdeploy/repos'),
  GIT_BASE_URL: z.string().url().default('https://github.com'),
  // Organisations are matched in lower case, the way the Manager records them.
  GIT_ORG_BASE_URLS: env
    .map()
    .transform((urls) =>
      Object.fromEntries(Object.entries(urls).map(([org, url]) => [org.toLowerCase(), url])),
    ),
  ALLOWED_ORGS: env.list('testausserveri'),
});

/** The Worker's validated settings; injected by type. Defaults are documented in the README. */
export interface WorkerConfig extends z.infer<typeof workerConfigSchema> {
  node: NodeServiceConfig;
}
export abstract class WorkerConfig {}

export function loadWorkerConfig(
  node: NodeServiceConfig,
  source: NodeJS.ProcessEnv = process.env,
): WorkerConfig {
  return { node, ...parseEnv(workerConfigSchema, source) };
}
