import { spawn } from 'node:child_process';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';

export interface GitHttpServer {
  server: http.Server;
  port: number;
  /** Every request's path and Authorization header. */
  seen: { path: string; authorization?: string }[];
}

/**
 * Git's smart HTTP protocol over `git http-backend` for the repositories under `root`, answering only requests
 * that carry `Authorization: Basic base64(credentials)`, like a private repository on a git host.
 */
export function privateGitServer(root: string, credentials: string): Promise<GitHttpServer> {
  return gitHttpServer(root, credentials);
}

/** The repositories under `root` over git's smart HTTP protocol, to anyone, like public ones on a git host. */
export function publicGitServer(root: string): Promise<GitHttpServer> {
  return gitHttpServer(root, null);
}

async function gitHttpServer(root: string, credentials: string | null): Promise<GitHttpServer> {
  const expected = credentials && `Basic ${Buffer.from(credentials).toString('base64')}`;
  const seen: { path: string; authorization?: string }[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    seen.push({ path: url.pathname, authorization: req.headers.authorization });
    if (expected && req.headers.authorization !== expected) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="private"' }).end();
      return;
    }
    const backend = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: url.pathname,
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: req.method ?? 'GET',
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        REMOTE_USER: 'reader',
      },
    });
    req.pipe(backend.stdin);
    // A CGI answer: headers (with "Status:"), a blank line, the body.
    let head: Buffer | null = Buffer.alloc(0);
    backend.stdout.on('data', (chunk: Buffer) => {
      if (head === null) return void res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of head.subarray(0, end).toString().split('\r\n')) {
        const colon = line.indexOf(':');
        const [name, value] = [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
        if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
        else headers[name] = value;
      }
      res.writeHead(status, headers);
      res.write(head.subarray(end + 4));
      head = null;
    });
    backend.stdout.on('end', () => res.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, seen };
}
