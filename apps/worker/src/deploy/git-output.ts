import { isSshUrl } from './git-ssh';

/* What the Worker's git processes get and give: their environment, and their output made safe to show. */

/**
 * Base URLs may carry tokens (`https://x:TOKEN@host`): never let them reach a message. An ssh user name alone
 * (`ssh://git@host`) is no secret and stays.
 */
export function redact(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)([^\s/@]+)@/gi, (all, scheme: string, user: string) =>
    isSshUrl(scheme) && !user.includes(':') ? all : `${scheme}***@`,
  );
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The line of git's output that explains the failure, for appending to a reason. */
export function gitDetail(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const line = lines.find((l) => l.startsWith('fatal:')) ?? lines[lines.length - 1] ?? 'unknown error';
  return redact(line).slice(0, 300);
}

export function isTimeout(err: unknown): boolean {
  return err instanceof Error && /block timeout reached/.test(err.message);
}

// simple-git refuses to pass on (or strips) GIT_* and editor/pager variables unless allowed one by one,
// so the environment is rebuilt without them and only the one we need is allowed through.
const GUARDED_ENV = new Set(['editor', 'pager', 'prefix', 'ssh_askpass', 'visual']);

export function gitEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    const k = key.toLowerCase();
    if (value !== undefined && !k.startsWith('git_') && !GUARDED_ENV.has(k)) env[key] = value;
  }
  // A repository that needs credentials we lack must fail, not wait forever for someone to type a password.
  env.GIT_TERMINAL_PROMPT = '0';
  env.GCM_INTERACTIVE = 'never';
  return env;
}
