import { InvalidInput } from '../errors';
import { branchNameProblem, orgNameProblem, repoNameProblem } from './git-names';

export interface DeploymentSourceProps {
  org: string;
  repo: string;
  branch: string;
  composePath: string;
}

/**
 * The compose-path rule as one pattern, for the API's schema: relative, no `..` segment, no NUL, at most 4096
 * characters; source-patterns.spec.ts holds it equal to composePathProblem.
 */
// No flags: a JSON Schema pattern has none, so `[\s\S]` stands for any character, newlines included.
// eslint-disable-next-line no-control-regex -- NUL is what it refuses
export const COMPOSE_PATH = /^(?![/\\])(?!(?:[\s\S]*[/\\])?\.\.(?:[/\\]|$))[^\x00]{1,4096}$/;

/** What to deploy: a branch of an organisation's repository and the compose file inside it. */
export class DeploymentSource {
  private constructor(readonly props: Readonly<DeploymentSourceProps>) {}

  static create(props: DeploymentSourceProps): DeploymentSource {
    const problem =
      orgNameProblem(props.org) ?? repoNameProblem(props.repo) ?? branchNameProblem(props.branch);
    if (problem) throw new InvalidInput(problem);
    const pathProblem = composePathProblem(props.composePath);
    if (pathProblem) throw new InvalidInput(pathProblem);
    // GitHub's organisation and repository names are case-insensitive: `acme/Site` and `acme/site` are one
    // repository, with one allow-list entry, one lock, one bare repository and one compose project.
    return new DeploymentSource({ ...props, org: props.org.toLowerCase(), repo: props.repo.toLowerCase() });
  }
}

/**
 * The lexical part of the compose-path rule, or undefined when the path keeps it; the Worker repeats the check
 * against the real clone, where symlinks can be resolved.
 */
export function composePathProblem(path: string): string | undefined {
  if (path.length === 0 || path.length > 4096 || path.includes('\0')) {
    return 'composePath must be a non-empty relative path';
  }
  if (path.startsWith('/') || path.startsWith('\\')) {
    return `composePath "${path}" must be relative to the repository root`;
  }
  if (path.split(/[\\/]/).includes('..')) return `composePath "${path}" must not contain ".." segments`;
  return undefined;
}
