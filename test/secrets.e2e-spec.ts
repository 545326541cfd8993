import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { MongoClient } from 'mongodb';
import { composeProjectName } from '../apps/worker/src/deploy/compose-cli';
import { EventStreamClient } from './support/event-stream-client';
import { GitHost } from './support/git-host';
import { eventually, freePort } from './support/ports';
import { System } from './support/system';

const run = promisify(execFile);
const ORG = 'e2e-secrets';

interface DeploymentView {
  id: string;
  status: 'requested' | 'succeeded' | 'failed' | 'removed';
  reason: string | null;
  configurationVersion: number;
}

/**
 * An app that proves which secret it got without showing it: it serves the SHA-256 of `APP_SECRET` as it reached
 * its environment (every byte, newlines and `$` too) and the value of the plain `APP_MODE`.
 */
function hashingApp(port: number): Record<string, string> {
  return {
    'docker-compose.yml': [
      'services:',
      '  web:',
      '    build: ./web',
      `    ports: ["127.0.0.1:${port}:8080"]`,
      '    stop_grace_period: 1s',
      '',
    ].join('\n'),
    'web/Dockerfile': [
      'FROM testausdeploy/busybox:latest',
      'CMD ["sh", "-c", "mkdir -p /www && printf %s \\"$APP_SECRET\\" | sha256sum | cut -d\\" \\" -f1 > /www/index.html && echo \\"mode=$APP_MODE\\" >> /www/index.html && exec httpd -f -p 8080 -h /www"]',
      '',
    ].join('\n'),
  };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** What the app serves for a secret and a mode. */
const proof = (secret: string, mode: string) => `${sha256(secret)}\nmode=${mode}\n`;

/** Every file under `dir` (following no symlink), with its path. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return filesUnder(path);
      return entry.isFile() ? [path] : [];
    }),
  );
  return nested.flat();
}

/**
 * A project's secrets from the API to the app's environment and nowhere else, on the three real apps (dockerd,
 * a git host on 127.0.0.1, the test database): the app proves it got the exact value; the value is then searched
 * for in every collection of the database, the build logs, every page of the audit API, the live event stream,
 * `docker inspect` of another project, and every file the three services wrote (their logs, at debug level, and
 * their state) but the one that must hold it. A rollback runs with the configuration of the attempt it restores; removing the project
 * takes its values off the Worker and destroys its data key.
 */
describe('end to end: a secret reaches its app and nothing else; rollback restores it; removal destroys it', () => {
  let git: GitHost;
  let system: System;
  let port: number;
  const repo = `vault-${randomBytes(3).toString('hex')}`;
  const other = `plain-${randomBytes(3).toString('hex')}`;
  /** What no place but the app and its one file may hold: a marker, in a value with lines, quotes and `$`. */
  const marker = randomBytes(16).toString('hex');
  const first = `tok-${marker}-one "quoted" $HOME \${PATH}\nsecond line \\ end`;
  const second = `tok-${marker}-two`;
  const variables = `/projects/${ORG}/${repo}/variables`;
  const deployments: Record<'first' | 'second' | 'rollback', DeploymentView | null> = {
    first: null,
    second: null,
    rollback: null,
  };

  const deployed = async (id: string): Promise<DeploymentView> =>
    eventually(async () => {
      const { body } = await system.call<DeploymentView>('GET', `/deployments/${id}`);
      return body.status === 'requested' ? undefined : body;
    }, 180_000);
  const served = (expected: string) =>
    eventually(async () => {
      const res = await fetch(`http://127.0.0.1:${port}/`).catch(() => null);
      const text = res?.ok ? await res.text() : undefined;
      return text === expected ? text : undefined;
    }, 30_000);

  before(async () => {
    git = await GitHost.start();
    system = await System.start({ allowedOrgs: ORG, gitBaseUrl: git.baseUrl });
    port = await freePort();
    await git.push(ORG, repo, hashingApp(port));
    await git.push(ORG, other, hashingApp(await freePort()));
  });

  after(async () => {
    await system.composeDown(ORG, repo);
    await system.composeDown(ORG, other);
    await system.stop();
    await git.stop();
  });

  it('gives the app the exact secret and the plain value, with the configuration version recorded', async () => {
    const accepted = await system.call<{ deploymentId: string }>('POST', '/deployments', { org: ORG, repo });
    assert.equal((await deployed(accepted.body.deploymentId)).status, 'succeeded');
    const set = await system.call('PUT', `${variables}/APP_SECRET`, { value: first, secret: true });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.equal(set.body.value, null);
    const mode = await system.call<{ version: number; deploymentId: string }>(
      'PUT',
      `${variables}/APP_MODE`,
      { value: 'blue', redeploy: true },
    );
    assert.equal(mode.status, 200, JSON.stringify(mode.body));
    const view = await deployed(mode.body.deploymentId);
    assert.equal(view.status, 'succeeded', `${view.reason}\n${await system.logs()}`);
    assert.equal(view.configurationVersion, mode.body.version);
    assert.equal(await served(proof(first, 'blue')), proof(first, 'blue'));
    deployments.first = view;
    const log = await system.call<{ lines: string[] }>('GET', `/deployments/${view.id}/logs`);
    assert.ok(
      log.body.lines.includes("the configuration's 2 variable(s) given to the services"),
      log.body.lines.join('\n'),
    );
  });

  it('runs a changed secret from the redeploy it asked for, and a rollback with the configuration it restores', async () => {
    const changed = await system.call<{ version: number; deploymentId: string }>(
      'PUT',
      `${variables}/APP_SECRET`,
      { value: second, secret: true, redeploy: true },
    );
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    deployments.second = await deployed(changed.body.deploymentId);
    assert.equal(deployments.second.status, 'succeeded', deployments.second.reason ?? '');
    assert.equal(deployments.second.configurationVersion, changed.body.version);
    assert.equal(await served(proof(second, 'blue')), proof(second, 'blue'));

    const rollback = await system.call<{ deploymentId: string }>(
      'POST',
      `/deployments/${deployments.first!.id}/rollback`,
    );
    assert.equal(rollback.status, 202, JSON.stringify(rollback.body));
    deployments.rollback = await deployed(rollback.body.deploymentId);
    assert.equal(deployments.rollback.status, 'succeeded', deployments.rollback.reason ?? '');
    assert.equal(deployments.rollback.configurationVersion, deployments.first!.configurationVersion);
    assert.equal(await served(proof(first, 'blue')), proof(first, 'blue'));
  });

  it('holds the clear value nowhere else: database, logs, build logs, audit, live events, other projects, Worker state', async () => {
    const checkedFile = join(system.dir, 'worker', 'projects', `${composeProjectName(ORG, repo)}.yml`);
    assert.ok((await readFile(checkedFile, 'utf8')).includes(marker), 'the one file holds the values');
    assert.equal((await stat(checkedFile)).mode & 0o777, 0o600);
    const found: string[] = [];
    const search = (where: string, text: string) => {
      if (text.includes(marker)) found.push(where);
    };

    const client = await MongoClient.connect(system.mongoUrl);
    try {
      const db = client.db();
      for (const { name } of await db.listCollections().toArray()) {
        search(`collection ${name}`, JSON.stringify(await db.collection(name).find({}).toArray()));
      }
    } finally {
      await client.close();
    }
    for (const { id } of await system.deploymentsOf(repo)) {
      search(
        `build log of ${id}`,
        JSON.stringify((await system.call('GET', `/deployments/${id}/logs`)).body),
      );
      search(`deployment ${id}`, JSON.stringify((await system.call('GET', `/deployments/${id}`)).body));
    }
    for (let cursor: number | null = 0, pages = 0; cursor !== null && pages < 50; pages++) {
      const page: { body: { next: number | null } } = await system.call<{ next: number | null }>(
        'GET',
        `/audit?order=oldest&limit=500${cursor ? `&cursor=${cursor}` : ''}`,
      );
      search('the audit API', JSON.stringify(page.body));
      cursor = page.body.next;
    }
    search('the variables API', JSON.stringify((await system.call('GET', variables)).body));
    const live = await EventStreamClient.open(`${system.api}/events?after=0`, {
      Authorization: `Bearer ${system.token}`,
    });
    try {
      await live.await((frame) => JSON.stringify(frame).includes('DeploymentSucceeded'), 4, 30_000);
      search('the live event stream', JSON.stringify(live.frames));
    } finally {
      live.close();
    }

    // Another project's containers know nothing of it; this project's have it in their environment, as asked.
    const accepted = await system.call<{ deploymentId: string }>('POST', '/deployments', {
      org: ORG,
      repo: other,
    });
    assert.equal((await deployed(accepted.body.deploymentId)).status, 'succeeded');
    const inspect = async (name: string) =>
      (await run('docker', ['inspect', ...(await containersOf(name))])).stdout;
    search('docker inspect of another project', await inspect(composeProjectName(ORG, other)));
    assert.ok((await inspect(composeProjectName(ORG, repo))).includes(marker));

    // Every file the three services wrote (their state, logs, the Worker's clones, checkouts and data) but the one.
    const written = await filesUnder(system.dir);
    assert.ok(written.includes(checkedFile) && written.length > 20, 'the search reaches every file');
    for (const file of written) {
      if (file !== checkedFile) search(file, await readFile(file, 'latin1'));
    }
    assert.deepEqual(found, []);
  });

  it('takes the values off the Worker and destroys the data key when the project is removed; the log stays whole', async () => {
    const removed = await system.call('DELETE', `/projects/${ORG}/${repo}`, { confirm: `${ORG}/${repo}` });
    assert.equal(removed.status, 204, JSON.stringify(removed.body));
    assert.deepEqual(await containersOf(composeProjectName(ORG, repo)), []);
    const checkedFile = join(system.dir, 'worker', 'projects', `${composeProjectName(ORG, repo)}.yml`);
    await assert.rejects(stat(checkedFile), { code: 'ENOENT' });
    for (const file of await filesUnder(system.dir)) {
      assert.ok(!(await readFile(file, 'latin1')).includes(marker), file);
    }
    const { body: after } = await system.call<DeploymentView>(
      'GET',
      `/deployments/${deployments.rollback!.id}`,
    );
    assert.equal(after.status, 'removed');
    assert.equal((await system.call('GET', variables)).status, 404);

    const client = await MongoClient.connect(system.mongoUrl);
    try {
      const db = client.db();
      const created = await db
        .collection('events')
        .find({ type: 'DataKeyCreated', 'data.scope': `${ORG}/${repo}` })
        .toArray();
      assert.equal(created.length, 1);
      assert.equal(await db.collection('data_keys').countDocuments({ _id: created[0].data.keyId }), 0);
      const sealed = await db
        .collection('events')
        .countDocuments({ type: 'ConfigurationChanged', 'data.set.sealed.key': created[0].data.keyId });
      assert.equal(sealed, 2, 'the ciphertext stays in the log, with no key to open it');
    } finally {
      await client.close();
    }
    const verified = await system.call<{ ok: boolean }>('GET', '/audit/verify');
    assert.equal(verified.body.ok, true);
  });

  it('keeps the removed project to itself: no one restores it, and the next project of the repository sees none of it', async () => {
    const refused = await system.call('POST', `/deployments/${deployments.first!.id}/rollback`);
    assert.equal(refused.status, 409);
    assert.match(String(refused.body.message), /as it was before it was removed: it cannot be restored/);
    const { body: newcomer } = await system.call<{ token: string }>('POST', '/members', { name: 'nia' });
    const granted = await system.call('PUT', `/projects/${ORG}/${repo}/members/nia`, { role: 'maintainer' });
    assert.equal(granted.status, 200, JSON.stringify(granted.body));
    const nia = <T>(path: string) => system.call<T>('GET', path, undefined, newcomer.token);
    assert.deepEqual((await nia<unknown[]>('/deployments')).body, []);
    const old = await nia<{ message: string }>(`/deployments/${deployments.rollback!.id}`);
    assert.deepEqual(
      [old.status, old.body.message],
      [404, `deployment ${deployments.rollback!.id} does not exist`],
    );
    const { body: audit } = await nia<{ entries: { streamId: string; type: string }[] }>('/audit?limit=500');
    assert.deepEqual(
      audit.entries.filter(({ streamId }) => !streamId.startsWith('member-')).map(({ type }) => type),
      ['ProjectRoleGranted'],
      'only the new project’s own beginning',
    );
    // For admins the history stays.
    assert.equal((await system.call('GET', `/deployments/${deployments.rollback!.id}`)).status, 200);
  });
});

/** The ids of the containers dockerd has of a compose project. */
async function containersOf(project: string): Promise<string[]> {
  const { stdout } = await run('docker', [
    'ps',
    '-aq',
    '--filter',
    `label=com.docker.compose.project=${project}`,
  ]);
  return stdout.split('\n').filter(Boolean);
}
