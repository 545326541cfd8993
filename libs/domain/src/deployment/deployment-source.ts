import { InvalidInput } from '../errors';

// GitHub's own rules: organisations are alphanumeric with single inner hyphens, at most 39 characters;
// repositories are letters, digits, '.', '-' and '_', at most 100.
const ORG = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;
// The safe subset of git's ref rules: no leading '-' (option injection), no '..', no control characters.
const BRANCH = /^(?!-)(?!.*\.\.)(?!.*\/\/)(?!.*\.lock$)(?!.*\/$)(?!.*@\{)[A-Za-z0-9._\/-]{1,255}$/;

export interface DeploymentSourceProps {
  org: string;
  repo: string;
  branch: string;
  composePath: string;
}

/** What to deploy: a branch of an organisation's repository and the compose file inside it. */
export class DeploymentSource {
  private constructor(readonly props: Readonly<DeploymentSourceProps>) {}

  static create(props: DeploymentSourceProps): DeploymentSource {
    if (!ORG.test(props.org)) throw new InvalidInput(`"${props.org}" is not a valid GitHub organisation name`);
    if (!REPO.test(props.repo) || props.repo === '.' || props.repo === '..' || props.repo.endsWith('.git')) {
      throw new InvalidInput(`"${props.repo}" is not a valid repository name`);
    }
    if (!BRANCH.test(props.branch)) throw new InvalidInput(`"${props.branch}" is not a valid branch name`);
    DeploymentSource.checkComposePath(props.composePath);
    return new DeploymentSource({ ...props });
  }

  /**
   * The lexical part of the compose-path rule; the Worker repeats the check against the real clone, where
   * symlinks can be resolved.
   */
  private static checkComposePath(path: string): void {
    if (path.length === 0 || path.length > 4096 || path.includes('\0')) {
      throw new InvalidInput('composePath must be a non-empty relative path');
    }
    if (path.startsWith('/') || path.startsWith('\\')) {
      throw new InvalidInput(`composePath "${path}" must be relative to the repository root`);
    }
    if (path.split(/[\\/]/).includes('..')) {
      throw new InvalidInput(`composePath "${path}" must not contain ".." segments`);
    }
  }
}
