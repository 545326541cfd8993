import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { GitHost } from '../../test/support/git-host';
import { GitHttpServer, publicGitServer } from '../../test/support/git-http';
import { webSite } from '../../test/support/web-site';

/**
 * `count` git repositories of one organisation on 127.0.0.1 over git's smart HTTP protocol (as GitHub serves
 * them), each at its own URL: one is committed to, the others are copies of its bare repository (without the
 * sample hooks), so making a thousand takes a few seconds and every `git ls-remote` reads a repository of its own.
 */
export class ServedRepositories {
  private constructor(
    readonly org: string,
    readonly repos: string[],
    readonly commit: string,
    private readonly host: GitHost,
    private readonly http: GitHttpServer,
  ) {}

  static async create(org: string, count: number): Promise<ServedRepositories> {
    const host = await GitHost.start();
    const repos = Array.from({ length: count }, (_, index) => `repo-${String(index).padStart(4, '0')}`);
    const commit = await host.push(org, repos[0], webSite(8080, 'served'));
    const template = join(host.root, org, `${repos[0]}.git`);
    for (const repo of repos.slice(1)) {
      await cp(template, join(host.root, org, `${repo}.git`), {
        recursive: true,
        filter: (source) => !source.startsWith(join(template, 'hooks')),
      });
    }
    return new ServedRepositories(org, repos, commit, host, await publicGitServer(host.root));
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.http.port}`;
  }

  url(repo: string): string {
    return `${this.baseUrl}/${this.org}/${repo}.git`;
  }

  async stop(): Promise<void> {
    this.http.server.closeAllConnections();
    await new Promise((resolve) => this.http.server.close(resolve));
    await this.host.stop();
  }
}
