import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { auth, ManagerApp, TEST_TOKEN } from './support/manager-app';

/** scripts/test.sh installs it (ensure_schemathesis): without it the run fails, never skips. */
function schemathesis(): string {
  const command = process.env.TEST_SCHEMATHESIS;
  if (!command)
    throw new Error('TEST_SCHEMATHESIS is not set: run the tests through `npm test` (scripts/test.sh)');
  return command;
}

/** One bounded schemathesis run against the Manager's own `/openapi.json`, as the holder of `token`. */
function fuzz(origin: string, token: string, cwd: string): Promise<{ status: number; output: string }> {
  const args = [
    ...['--config-file', resolve(__dirname, '..', '..', 'test', 'api-fuzz.schemathesis.toml')],
    'run',
    `${origin}/openapi.json`,
    ...['--header', `Authorization: Bearer ${token}`],
    ...['--checks', 'all'],
    ...['--phases', 'examples,coverage,fuzzing'],
    ...['--max-examples', '4', '--max-time', '75', '--request-timeout', '10'],
    ...['--workers', '1', '--seed', '20261202', '--generation-database', 'none'],
    // The live event stream never ends on its own, so every request to it would be a timeout; its own tests
    // (apps/manager/src/live/live-events.int.spec.ts) cover its refusals and answers.
    ...['--exclude-path', '/events'],
    '--no-color',
  ];
  return new Promise((done) => {
    execFile(
      schemathesis(),
      args,
      { cwd, maxBuffer: 64 * 1024 * 1024, timeout: 240_000 },
      (error, stdout, stderr) => {
        done({
          status: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
          output: stdout + stderr,
        });
      },
    );
  });
}

/** What a failed run found: its failures, then the summary. */
const findings = (output: string) => {
  const failures = output.indexOf('FAILURES');
  return (failures >= 0 ? output.slice(failures) : output).slice(0, 20_000);
};

/**
 * schemathesis (PyPI; scripts/lib.sh installs it) generates requests from the Manager's OpenAPI document, valid
 * and invalid, and checks every answer against it: no server error, every status code and body documented,
 * schema-valid requests accepted and invalid ones refused, 405 for methods a path does not have. Bounded: a few
 * examples per operation and a time limit per role.
 */
describe('the API under schemathesis, as an admin and as a member', () => {
  let manager: ManagerApp;
  let origin: string;
  let cwd: string;
  let memberToken: string;

  before(async () => {
    manager = await ManagerApp.start('fuzz', {
      ALLOWED_ORGS: 'testausserveri',
      WEBHOOK_SECRET: 'a-webhook-secret-for-the-fuzzer',
    });
    await manager.app.listen(0, '127.0.0.1');
    origin = `http://127.0.0.1:${(manager.app.getHttpServer().address() as AddressInfo).port}`;
    memberToken = (await manager.http().post('/members').set(auth).send({ name: 'fuzzer' }).expect(201)).body
      .token;
    cwd = await mkdtemp(join(tmpdir(), 'api-fuzz-'));
  });
  after(async () => {
    await manager.stop();
    await rm(cwd, { recursive: true, force: true });
  });

  for (const [role, token] of [
    // The member first: as the admin, schemathesis finds the member's name in GET /members and removes them.
    ['a member', () => memberToken],
    ['an admin', () => TEST_TOKEN],
  ] as const) {
    it(`finds nothing as ${role}`, async () => {
      const { status, output } = await fuzz(origin, token(), cwd);
      assert.match(output, /API Operations:\s+Selected: \d+\/\d+\s+Tested: \d+/, output.slice(-3000));
      assert.equal(status, 0, findings(output));
    });
  }
});
