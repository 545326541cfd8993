import { GitSourceError } from './git-repositories';

export interface GitHubHeadsOptions {
  /** `https://api.github.com`, or a GitHub Enterprise API root. */
  apiUrl: string;
  /** The Authorization header for an organisation's repositories, if it has credentials. */
  authorization: (org: string, repo: string) => string | null;
}

/**
 * Branch heads from GitHub's REST API, with conditional requests: each answer's ETag is sent back as
 * `If-None-Match`, and a 304 (which GitHub does not count against the rate limit) means the head is the one
 * already known. A thousand repositories polled every minute stay well inside the limits.
 */
export class GitHubHeads {
  private readonly known = new Map<string, { etag: string; commit: string }>();

  constructor(private readonly options: GitHubHeadsOptions) {}

  async head(org: string, repo: string, branch: string): Promise<string> {
    const key = `${org}/${repo}@${branch}`;
    const known = this.known.get(key);
    const authorization = this.options.authorization(org, repo);
    const repository = `${encodeURIComponent(org)}/${encodeURIComponent(repo)}`;
    const url = `${this.options.apiUrl.replace(/\/+$/, '')}/repos/${repository}/commits/${encodeURIComponent(branch)}`;
    const response = await fetch(url, {
      headers: {
        Accept: 'application/vnd.github.sha',
        'User-Agent': 'testausdeploy',
        ...(authorization && { Authorization: authorization }),
        ...(known && { 'If-None-Match': known.etag }),
      },
      signal: AbortSignal.timeout(30_000),
    }).catch((error: Error) => {
      throw new GitSourceError(`GitHub did not answer for ${org}/${repo}: ${error.message}`);
    });
    if (response.status === 304 && known) return known.commit;
    if (response.status === 404 || response.status === 422) {
      throw new GitSourceError(`branch "${branch}" of ${org}/${repo} not found on GitHub (or not readable)`);
    }
    if (!response.ok) {
      const reset = response.headers.get('x-ratelimit-reset');
      const limit = reset ? `; rate limit resets at ${new Date(Number(reset) * 1000).toISOString()}` : '';
      throw new GitSourceError(`GitHub answered ${response.status} for ${org}/${repo}${limit}`);
    }
    const commit = (await response.text()).trim();
    if (!/^[0-9a-f]{40,64}$/.test(commit)) throw new GitSourceError(`GitHub sent no commit for ${key}`);
    const etag = response.headers.get('etag');
    if (etag) this.known.set(key, { etag, commit });
    return commit;
  }
}
