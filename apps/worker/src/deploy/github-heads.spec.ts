import assert from 'node:assert/strict';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { GitSourceError } from './git-repositories';
import { GitHubHeads } from './github-heads';

/** GitHub's `GET /repos/{owner}/{repo}/commits/{ref}` with `Accept: application/vnd.github.sha`, with ETags. */
describe('branch heads from the GitHub REST API, on a stand-in server on 127.0.0.1', () => {
  let server: http.Server;
  let api: string;
  const heads: Record<string, string> = { '/repos/acme/site/commits/main': 'a'.repeat(40) };
  const seen: { path: string; ifNoneMatch?: string; authorization?: string; status: number }[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      const head = heads[req.url ?? ''];
      const answer = (status: number, body = '', headers: Record<string, string> = {}) => {
        seen.push({
          path: req.url ?? '',
          ifNoneMatch: req.headers['if-none-match'],
          authorization: req.headers.authorization,
          status,
        });
        res.writeHead(status, headers).end(body);
      };
      if (req.headers.accept !== 'application/vnd.github.sha') return answer(415);
      if (!head) return answer(404, '{"message":"Not Found"}');
      const etag = `"${head.slice(0, 8)}"`;
      if (req.headers['if-none-match'] === etag) return answer(304);
      answer(200, head, { ETag: etag });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => new Promise((resolve) => server.close(resolve)));

  it('asks again with the ETag, and a 304 answers with the head it already knows', async () => {
    const github = new GitHubHeads({ apiUrl: api, authorization: () => 'Basic dG9rZW4=' });
    assert.equal(await github.head('acme', 'site', 'main'), 'a'.repeat(40));
    assert.equal(await github.head('acme', 'site', 'main'), 'a'.repeat(40));
    heads['/repos/acme/site/commits/main'] = 'b'.repeat(40);
    assert.equal(await github.head('acme', 'site', 'main'), 'b'.repeat(40));
    assert.deepEqual(
      seen.map(({ ifNoneMatch, status }) => [ifNoneMatch ?? null, status]),
      [
        [null, 200],
        ['"aaaaaaaa"', 304],
        ['"aaaaaaaa"', 200],
      ],
    );
    assert.ok(seen.every((request) => request.authorization === 'Basic dG9rZW4='));
  });

  it('names a branch or repository GitHub does not have, and encodes what goes into the path', async () => {
    const github = new GitHubHeads({ apiUrl: api, authorization: () => null });
    await assert.rejects(github.head('acme', 'site', 'nope'), (error: Error) => {
      assert.ok(error instanceof GitSourceError);
      assert.match(error.message, /branch "nope" of acme\/site not found on GitHub/);
      return true;
    });
    await assert.rejects(github.head('acme', 'site', 'feature/x'), GitSourceError);
    assert.equal(seen[seen.length - 1].path, '/repos/acme/site/commits/feature%2Fx');
    assert.equal(seen[seen.length - 1].authorization, undefined);
  });
});
