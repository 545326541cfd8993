import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Finding } from './shapes';

const MAX_ENV_BYTES = 64 * 1024;

/** Keys that would configure compose or the Docker client rather than fill in the project's variables. */
const TOOL_SETTINGS = /^(COMPOSE|DOCKER|BUILDKIT)_/;

/**
 * The project's `.env` as the Worker read it: its text, or the reason it may not be used, and the profiles it
 * activates (`COMPOSE_PROFILES`), which running the checked file needs as rendering it did.
 */
export type ProjectEnv = { text: string | null; findings: Finding[]; profiles: string | null };

/** Profile names, comma-separated: nothing a dotenv reader could read two ways. */
const PROFILES = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*(,[a-zA-Z0-9][a-zA-Z0-9_.-]*)*$/;

/**
 * The variables compose may interpolate: the project's own `.env` beside its compose file, read by the Worker
 * itself as a plain file of the checkout (a symlink, which might lead to a host file such as the Worker's
 * configuration, is refused rather than followed), and handed to compose as a copy through `--env-file`. Compose
 * never reads a `.env` of its own choosing, and the Worker's environment is never among the variables.
 */
export async function readProjectEnv(projectDir: string): Promise<ProjectEnv> {
  const file = path.join(projectDir, '.env');
  const refuse = (rule: string): ProjectEnv => ({
    text: null,
    findings: [{ path: '.env', rule }],
    profiles: null,
  });
  const stat = await fs.lstat(file).catch(() => null);
  if (!stat) return { text: null, findings: [], profiles: null };
  if (stat.isSymbolicLink())
    return refuse('.env is a symlink: compose reads only a plain .env file of the repository');
  if (!stat.isFile()) return refuse('.env is not a plain file');
  if (stat.size > MAX_ENV_BYTES) return refuse(`.env is larger than ${MAX_ENV_BYTES / 1024} KiB`);
  const text = await fs.readFile(file, 'utf8');
  if (text.includes('\0')) return refuse('.env holds a NUL character');
  const findings: Finding[] = [];
  let profiles: string | null = null;
  // As compose's dotenv reads it: lines end at \r too, and a key may be quoted.
  text.split(/\r\n|\r|\n/).forEach((line, index) => {
    const match = /^\s*(?:export\s+)?(['"]?)([A-Za-z_][A-Za-z0-9_.-]*)\1\s*=\s*(.*)$/.exec(line);
    const key = match?.[2];
    const at = `.env line ${index + 1}`;
    if (key === 'COMPOSE_PROFILES') {
      profiles = match![3].replace(/^(['"])(.*)\1$/, '$2').trim();
      if (!PROFILES.test(profiles)) {
        findings.push({ path: at, rule: 'COMPOSE_PROFILES must be profile names separated by commas' });
      }
    } else if (key && TOOL_SETTINGS.test(key)) {
      findings.push({
        path: at,
        rule: `${key} configures compose or Docker, not the project: the Worker sets those`,
      });
    }
  });
  return { text, findings, profiles };
}
