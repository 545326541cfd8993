import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Dockerode from 'dockerode';
import { IcpClient, IcpError } from '@testausdeploy/icp';
import { IcpFixture, sleep, until } from '../../../../test/support/icp';
import type { WorkerConfig } from '../config/worker-config';
import { composeCli, projectAt } from '../../../../test/support/compose';
import { composeProjectName, type ComposeProject } from './compose-cli';
import { ContainerLogs } from './container-logs';
import { ContainerLogsHandler } from './container-logs.handler';
import { ProjectContainers } from './project-containers';
import { ProjectSlots } from './handover/project-slots';
import { WorkerAllowList } from './worker-allow-list';

const BASE_IMAGE = 'testausdeploy/busybox:latest';
const ORG = 'int';

describe('containerLogs against dockerd, over ICP: follow a container that prints every 100 ms, then cancel', () => {
  const docker = new Dockerode();
  const cli = composeCli();
  const repo = `ticker-${randomBytes(4).toString('hex')}`;
  const handler = new ContainerLogsHandler(
    new WorkerAllowList({ ALLOWED_ORGS: [ORG] } as unknown as WorkerConfig),
    new ProjectContainers(docker),
    new ProjectSlots(path.join(os.tmpdir(), `slots-${randomBytes(4).toString('hex')}`)),
    new ContainerLogs(docker),
  );
  /** Each run of the handler, and whether it has returned (its docker streams closed). */
  const runs: { done: boolean }[] = [];
  let icp: IcpFixture;
  let client: IcpClient;
  let project: ComposeProject;
  let root: string;

  before(
    async () => {
      root = await fs.mkdtemp(path.join(os.tmpdir(), 'td-logs-'));
      await fs.writeFile(
        path.join(root, 'compose.yml'),
        [
          'services:',
          '  ticker:',
          `    image: ${BASE_IMAGE}`,
          '    stop_grace_period: 1s',
          '    command: ["sh", "-c", "i=0; while true; do i=$$((i+1)); echo tick $$i; sleep 0.1; done"]',
          '',
        ].join('\n'),
      );
      project = await projectAt(composeProjectName(ORG, repo), path.join(root, 'compose.yml'));
      await cli.up(project);

      icp = await IcpFixture.create();
      const [manager, worker] = await icp.identities('manager', 'worker');
      const { port } = await icp.server(worker, () => [manager.fingerprint], {
        containerLogs: async (data, context) => {
          const run = { done: false };
          runs.push(run);
          try {
            return await handler.read(data, context);
          } finally {
            run.done = true;
          }
        },
      });
      client = icp.client(port, manager, worker.fingerprint);
      await until(() => client.connected);
    },
    { timeout: 120_000 },
  );

  after(
    async () => {
      await icp?.cleanUp();
      if (project) await cli.remove(project, true).catch(() => undefined);
      if (root) await fs.rm(root, { recursive: true, force: true });
    },
    { timeout: 60_000 },
  );

  it('follows: lines arrive prefixed with the service; cancelling closes the docker stream', async () => {
    const lines: string[] = [];
    const abort = new AbortController();
    const following = client.request(
      'containerLogs',
      { org: ORG, repo, tail: 0, follow: true },
      { timeoutMs: Infinity, signal: abort.signal, onProgress: (line) => lines.push(line) },
    );
    await until(() => lines.length >= 5, 10_000);
    assert.ok(
      lines.every((line) => /^ticker \| tick \d+$/.test(line)),
      lines.join('\n'),
    );
    const numbers = lines.map((line) => Number(line.split(' ').at(-1)));
    assert.deepEqual(
      numbers,
      numbers.map((_, n) => numbers[0] + n),
      'consecutive lines, none lost',
    );
    abort.abort();
    await assert.rejects(following, (error: IcpError) => error.code === 'cancelled');
    await until(() => runs.at(-1)?.done === true, 5000);
    const seen = lines.length;
    await sleep(400);
    assert.equal(lines.length, seen, 'no line after the cancel');
  });

  it('reads the tail without follow, and refuses an unknown service', async () => {
    const lines: string[] = [];
    const result = await client.request(
      'containerLogs',
      { org: ORG, repo, tail: 3, follow: false },
      { timeoutMs: 10_000, onProgress: (line) => lines.push(line) },
    );
    assert.equal(lines.length, 3);
    assert.deepEqual(result, { lines: 3, dropped: 0 });
    assert.ok(
      lines.every((line) => /^ticker \| tick \d+$/.test(line)),
      lines.join('\n'),
    );
    await assert.rejects(
      client.request(
        'containerLogs',
        { org: ORG, repo, service: 'nope', tail: 3, follow: false },
        { timeoutMs: 10_000 },
      ),
      { code: 'not_found', message: `${ORG}/${repo} has no container of service "nope" on this Worker` },
    );
  });

  it('ends a follow on its own when the containers stop', { timeout: 60_000 }, async () => {
    const following = client.request(
      'containerLogs',
      { org: ORG, repo, tail: 1, follow: true },
      { timeoutMs: 30_000 },
    );
    await until(() => runs.length === 3);
    await cli.stop(project);
    const result = await following;
    assert.ok(result.lines >= 1);
  });
});
