import { join } from 'node:path';
import { z } from 'zod';
import { env, parseEnv } from './env';

export interface NodeServiceConfig {
  host: string;
  port: number;
  /** Holds the node's ICP key and certificate. */
  stateDir: string;
  /** Holds the Manager's pinned public-key fingerprint. */
  trustFile: string;
  logLevel: z.infer<ReturnType<typeof env.logLevel>>;
}

/**
 * Settings every ICP-serving node (Worker, Guardian) has, read from `<PREFIX>_HOST`, `<PREFIX>_PORT`,
 * `<PREFIX>_STATE_DIR`, `TRUST_FILE` and `LOG_LEVEL`.
 */
function nodeServiceSchema(prefix: 'WORKER' | 'GUARDIAN', defaultPort: number) {
  return z
    .object({
      host: env.host('127.0.0.1'),
      port: env.port(defaultPort),
      stateDir: z.string().default(`/var/lib/testausdeploy/${prefix.toLowerCase()}`),
      trustFile: z.string().optional(),
      logLevel: env.logLevel(),
    })
    .transform((values): NodeServiceConfig => ({
      ...values,
      trustFile: values.trustFile ?? join(values.stateDir, 'trusted-manager'),
    }));
}

/** Picks a node's variables out of the environment under the names `nodeServiceSchema` documents. */
function nodeServiceEnv(prefix: 'WORKER' | 'GUARDIAN', source: NodeJS.ProcessEnv = process.env) {
  return {
    host: source[`${prefix}_HOST`],
    port: source[`${prefix}_PORT`],
    stateDir: source[`${prefix}_STATE_DIR`],
    trustFile: source.TRUST_FILE,
    logLevel: source.LOG_LEVEL,
  };
}

export function loadNodeServiceConfig(
  prefix: 'WORKER' | 'GUARDIAN',
  defaultPort: number,
  source: NodeJS.ProcessEnv = process.env,
): NodeServiceConfig {
  return parseEnv(nodeServiceSchema(prefix, defaultPort), nodeServiceEnv(prefix, source));
}
