import * as http from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * GitHub's `GET /repos/:org/:repo/commits/:branch` (Accept `application/vnd.github.sha`) on 127.0.0.1, for
 * repositories that all point at `commit`: the SHA with an ETag, or 304 when `If-None-Match` carries that ETag.
 * `charged` counts the answers that were not 304, which is what GitHub's rate limit would count.
 */
export class GitHubStandIn {
  requests = 0;
  charged = 0;

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(commit: string): Promise<GitHubStandIn> {
    const etag = `"${commit}"`;
    const path = /^\/repos\/[^/]+\/[^/]+\/commits\/[^/]+$/;
    const server = http.createServer((req, res) => {
      standIn.requests++;
      if (!path.test(req.url ?? '')) return void res.writeHead(404).end('{"message":"Not Found"}');
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { ETag: etag }).end();
      standIn.charged++;
      res.writeHead(200, { ETag: etag, 'Content-Type': 'application/vnd.github.sha' }).end(commit);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const standIn = new GitHubStandIn(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return standIn;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
