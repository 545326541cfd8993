import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { allowListFindings } from '../apps/worker/src/deploy/policy/allow-list';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const SECRETS = ['mongo-root-password', 'mongo-manager-password', 'mongo-keyfile', 'master-key'];

interface Rendered {
  services: Record<string, Record<string, unknown> & { environment?: Record<string, string> }>;
  networks: Record<string, { name: string; internal?: boolean }>;
  secrets: Record<string, { file: string }>;
}

/**
 * The production docker-compose.yml as compose renders it. No MongoDB image can be had here, so it is not run:
 * what is checked is what it would run (docs/production.md says how to bring it up).
 */
describe('the production docker-compose.yml', () => {
  let etc: string;
  const renderers: Record<string, () => Promise<Rendered>> = {
    'docker-compose (v1)': async () =>
      parse((await run('docker-compose', ['config'], { cwd: ROOT, env: environment() })).stdout),
  };
  if (process.env.TEST_COMPOSE_V2) {
    const v2 = process.env.TEST_COMPOSE_V2;
    renderers['compose v2'] = async () =>
      JSON.parse((await run(v2, ['config', '--format', 'json'], { cwd: ROOT, env: environment() })).stdout);
  }
  const environment = () => ({ PATH: process.env.PATH, TESTAUSDEPLOY_ETC: etc });

  before(async () => {
    etc = await mkdtemp(join(tmpdir(), 'production-compose-'));
    await mkdir(join(etc, 'secrets'));
    await writeFile(join(etc, 'manager.env'), 'ADMIN_TOKEN=an-admin-token-that-is-long-enough-000\n');
    for (const name of SECRETS) await writeFile(join(etc, 'secrets', name), `value-of-${name}\n`);
  });
  after(() => rm(etc, { recursive: true, force: true }));

  for (const [renderer, render] of Object.entries(renderers)) {
    it(`renders with ${renderer}, every secret a file outside it`, async () => {
      const rendered = await render();
      // (manager.env is read into the rendering; it is the file outside this one that holds ADMIN_TOKEN.)
      assert.equal(
        rendered.services.manager.environment?.ADMIN_TOKEN,
        'an-admin-token-that-is-long-enough-000',
      );
      assert.doesNotMatch(JSON.stringify(rendered), /value-of-/);
      for (const name of SECRETS) assert.equal(rendered.secrets[name].file, join(etc, 'secrets', name));
      const { mongo, manager } = rendered.services;
      assert.equal(manager.environment?.MONGO_USER, 'manager');
      assert.equal(manager.environment?.MONGO_PASSWORD_FILE, '/run/secrets/mongo-manager-password');
      assert.equal(manager.environment?.MASTER_KEY_FILE, '/run/secrets/master-key');
      assert.doesNotMatch(manager.environment?.MONGO_URL ?? '', /@/);
      assert.equal(
        mongo.environment?.MONGO_INITDB_ROOT_PASSWORD_FILE,
        '/run/mongo-secrets/mongo-root-password',
      );
      assert.ok((mongo.command as string[]).join(' ').includes('--keyFile /run/mongo-secrets/mongo-keyfile'));
    });

    it(`keeps MongoDB on an internal network only, with no published port (${renderer})`, async () => {
      const { services, networks } = await render();
      assert.equal(services.mongo.ports, undefined);
      assert.deepEqual(Object.keys(services.mongo.networks as object), ['database']);
      assert.equal(networks.database.internal, true);
      assert.deepEqual(Object.keys(services.manager.networks as object).sort(), ['database', 'manager']);
      for (const port of services.manager.ports as (string | { host_ip: string })[]) {
        assert.match(typeof port === 'string' ? port : port.host_ip, /^127\.0\.0\.1/);
      }
    });
  }

  it('has networks no deployed project may join: the deploy policy refuses naming them', async () => {
    const { networks } = await renderers['docker-compose (v1)']();
    const context = {
      project: 'td_acme_site',
      ports: { from: 8000, to: 8999 },
      caps: { memoryBytes: 2 * 1024 ** 3, cpus: 2, pids: 4096, replicas: 4 },
    };
    for (const { name } of Object.values(networks)) {
      for (const declared of [{ external: true, name }, { name }]) {
        const findings = allowListFindings(
          {
            services: { web: { image: 'td_acme_site/web', networks: ['joined'] } },
            networks: { joined: declared },
          },
          context,
        );
        assert.ok(findings.length > 0, `${JSON.stringify(declared)} is refused`);
      }
    }
  });
});
