import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..', '..', '..', '..', '..');
const WEB = join(ROOT, 'apps', 'web');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** Type-checks `code` as a file of the dashboard would be (its tsconfig, its generated client); the errors. */
async function typeErrors(dir: string, code: string): Promise<string> {
  const file = join(dir, 'page.ts');
  await writeFile(
    file,
    `import { api } from ${JSON.stringify(join(WEB, 'src', 'api', 'client'))};\n${code}\n`,
  );
  await writeFile(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ extends: join(WEB, 'tsconfig.json'), include: [file] }),
  );
  try {
    await run(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')]);
    return '';
  } catch (error) {
    return (error as { stdout: string }).stdout;
  }
}

describe("the dashboard's API client, generated from the OpenAPI document by `npm run build`", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'web-client-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('compiles a call the document has', async () => {
    assert.equal(await typeErrors(dir, "void api.POST('/session', { body: { token: 'x' } });"), '');
  });

  it('does not compile a route, a method, a body field of the wrong type or a missing field', async () => {
    const errors = await typeErrors(
      dir,
      [
        "void api.GET('/no-such-route');",
        "void api.PATCH('/session', {});",
        "void api.POST('/session', { body: { token: 42 } });",
        "void api.POST('/deployments', { body: { org: 'o' } });",
      ].join('\n'),
    );
    for (const line of [2, 3, 4, 5]) assert.match(errors, new RegExp(`page\\.ts\\(${line},`), errors);
  });
});
