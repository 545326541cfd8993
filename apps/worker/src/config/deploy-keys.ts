import { accessSync, constants, statSync } from 'node:fs';
import { orgNameProblem, repoNameProblem } from '@testausdeploy/domain';
import { isSshUrl, sshPathProblem } from '../deploy/git-ssh';

export interface ConfigProblem {
  setting: 'GIT_DEPLOY_KEYS' | 'GIT_KNOWN_HOSTS';
  message: string;
}

/** The settings the deploy keys are checked against. */
export interface DeployKeySettings {
  GIT_BASE_URL: string;
  GIT_ORG_BASE_URLS: Record<string, string>;
  GIT_DEPLOY_KEYS: Record<string, string>;
  GIT_KNOWN_HOSTS?: string;
}

/** Why `file` is no usable file (missing, not a regular file, or readable by `others`), or undefined. */
function fileProblem(file: string, privateKey: boolean): string | undefined {
  const pathProblem = sshPathProblem(file);
  if (pathProblem) return pathProblem;
  let mode: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return 'is not a regular file';
    mode = stat.mode;
    accessSync(file, constants.R_OK);
  } catch {
    return 'does not exist or cannot be read';
  }
  // ssh itself ignores such a key ("UNPROTECTED PRIVATE KEY FILE"); better to say so at start-up.
  if (privateKey && (mode & 0o077) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(3, '0');
    return `is readable by group or others (mode ${octal}): chmod 600 it`;
  }
  return undefined;
}

/**
 * Every problem with the deploy keys, each naming the setting and the organisation but never the key's path
 * (which stays out of all output): a key must be a private file for an `ssh://` remote with pinned host keys.
 */
export function deployKeyProblems(settings: DeployKeySettings): ConfigProblem[] {
  const keys = Object.entries(settings.GIT_DEPLOY_KEYS);
  if (keys.length === 0) return [];
  const problems: ConfigProblem[] = [];
  const known = (message: string) => problems.push({ setting: 'GIT_KNOWN_HOSTS', message });
  const keyed = (message: string) => problems.push({ setting: 'GIT_DEPLOY_KEYS', message });
  if (!settings.GIT_KNOWN_HOSTS) {
    known('required with GIT_DEPLOY_KEYS, to pin the SSH hosts’ keys');
  } else {
    const problem = fileProblem(settings.GIT_KNOWN_HOSTS, false);
    if (problem) known(`the known_hosts file ${problem}`);
  }
  for (const [name, file] of keys) {
    const [org, repo, ...rest] = name.split('/');
    const nameProblem =
      orgNameProblem(org) ??
      (repo === undefined ? undefined : repoNameProblem(repo)) ??
      (rest.length > 0 ? 'more than one "/"' : undefined);
    if (nameProblem !== undefined) {
      keyed(`"${name}" is not an organisation or org/repo (${nameProblem})`);
      continue;
    }
    const base = Object.hasOwn(settings.GIT_ORG_BASE_URLS, org)
      ? settings.GIT_ORG_BASE_URLS[org]
      : settings.GIT_BASE_URL;
    if (!isSshUrl(base)) {
      keyed(`${name} is fetched from a base URL that is not ssh://, so its deploy key would not be used`);
    }
    const problem = fileProblem(file, true);
    if (problem) keyed(`the key file for ${name} ${problem}`);
  }
  return problems;
}
