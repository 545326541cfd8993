/**
 * Naming rules for what a deployment points at. GitHub's own rules for organisations and repositories: a name
 * outside them cannot exist there, and refusing it early keeps odd names out of URLs and filesystem paths.
 * Each function returns the problem, or undefined when the name is fine.
 */
/** Letters and digits, single "-" between them (never "--": the Worker's second compose project name relies on it). */
export const ORG_NAME = /^(?=[A-Za-z0-9-]{1,39}$)[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/;
/** Not `.` or `..`, and not ending in `.git` (in any case): JSON Schema patterns take no flags. */
export const REPO_NAME = /^(?!\.{1,2}$)(?!.*\.[Gg][Ii][Tt]$)[A-Za-z0-9._-]{1,100}$/;
/**
 * `git check-ref-format --branch` as one pattern, for the API's schema: what branchNameProblem accepts (it says
 * which rule a name breaks); source-patterns.spec.ts holds the two equal.
 */
export const BRANCH_NAME =
  // eslint-disable-next-line no-control-regex -- control characters are what it refuses
  /^(?!-)(?!(?:HEAD|@)$)(?!.*\.\.)(?!.*@\{)(?!\/)(?!.*\/\/)(?!.*[/.]$)(?!(?:.*\/)?\.)(?!.*\.lock(?:\/|$))[^\x00-\x20\x7f~^:?*[\\]{1,255}$/;

export function orgNameProblem(org: string): string | undefined {
  if (ORG_NAME.test(org)) return undefined;
  return `"${org}" is not a valid GitHub organisation name (letters, digits and single "-" between them, at most 39)`;
}

export function repoNameProblem(repo: string): string | undefined {
  if (REPO_NAME.test(repo)) return undefined;
  return `"${repo}" is not a valid GitHub repository name (letters, digits, ".", "_" and "-", at most 100, without ".git")`;
}

/** The rules of `git check-ref-format --branch`, checked before any git process sees the name. */
export function branchNameProblem(branch: string): string | undefined {
  const problem = branchRuleBroken(branch);
  return problem && `"${branch}" is not a valid branch name: ${problem}`;
}

function branchRuleBroken(branch: string): string | undefined {
  if (branch === '') return 'it is empty';
  if (branch.length > 255) return 'it is longer than 255 characters';
  // A leading "-" would be read as an option by git.
  if (branch.startsWith('-')) return 'it starts with "-"';
  if (branch === 'HEAD' || branch === '@') return `"${branch}" is reserved`;
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(branch))
    return 'it contains a space, control character or one of ~^:?*[\\';
  if (branch.includes('..')) return 'it contains ".."';
  if (branch.includes('@{')) return 'it contains "@{"';
  if (branch.startsWith('/') || branch.endsWith('/') || branch.includes('//'))
    return 'it has an empty "/" component';
  if (branch.endsWith('.')) return 'it ends with "."';
  if (branch.split('/').some((part) => part.startsWith('.') || part.endsWith('.lock'))) {
    return 'a "/" component starts with "." or ends with ".lock"';
  }
  return undefined;
}
