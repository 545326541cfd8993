import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Dockerode from 'dockerode';
import { CommandContext, IcpError, IcpErrorCode } from '@testausdeploy/icp';
import type { WorkerConfig } from '../../config/worker-config';
import { ComposeCli } from '../compose-cli';
import { ComposeSandbox } from '../compose-sandbox';
import { GitRepositories } from '../git-repositories';
import { ComposeGate } from '../policy/compose-gate';
import { ProjectContainers } from '../project-containers';
import { WorkerAllowList } from '../worker-allow-list';
import { ProjectCheckouts } from '../workspace/project-checkouts';
import { ProjectLocks } from '../workspace/project-locks';
import { ProjectSlots } from './project-slots';
import { RetireHandler } from './retire.handler';

/** The refusals of `retire`, which come before anything reaches dockerd or the disk. */
describe('RetireHandler refuses', () => {
  let dir: string;
  let slots: ProjectSlots;
  let handler: RetireHandler;
  const context = { progress: () => undefined } as unknown as CommandContext;
  const refused = (slot: string, org = 'org') =>
    handler.retire({ org, repo: 'app', slot, drainMs: 0 }, context).then(
      () => assert.fail('retired'),
      (error: IcpError) => error,
    );

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'retire-'));
    slots = new ProjectSlots(join(dir, 'projects'));
    const sandbox = new ComposeSandbox({
      dockerSocket: join(dir, 'docker.sock'),
      scratchDir: join(dir, 'scratch'),
    });
    handler = new RetireHandler(
      new WorkerAllowList({ ALLOWED_ORGS: ['org'] } as unknown as WorkerConfig),
      slots,
      new ProjectContainers(new Dockerode({ socketPath: join(dir, 'docker.sock') })),
      new ComposeGate(new ComposeCli({ sandbox }), {
        ports: { from: 8000, to: 8999 },
        limits: { memory: '256m', cpus: 0.5, pids: 200 },
        caps: { memoryBytes: 2 * 1024 ** 3, cpus: 2, pids: 4096, replicas: 4 },
        dir: join(dir, 'projects'),
        appsNetwork: 'apps',
      }),
      new ProjectCheckouts(
        join(dir, 'checkouts'),
        new GitRepositories({ reposDir: join(dir, 'repos'), baseUrl: 'http://127.0.0.1:9' }),
      ),
      new ProjectLocks(),
    );
  });

  after(() => rm(dir, { recursive: true, force: true }));

  it('the version that serves (409), whichever slot it is in', async () => {
    for (const live of ['td_org_app', 'td_org--b_app']) {
      await slots.serve('td_org_app', live);
      const error = await refused(live);
      assert.equal(error.code, IcpErrorCode.Conflict);
      assert.equal(error.message, `${live} runs the version of org/app that serves`);
    }
  });

  it("a compose project that is not one of the project's two (403)", async () => {
    for (const slot of ['td_other_app', 'td_org_app2', 'td_org--c_app']) {
      const error = await refused(slot);
      assert.equal(error.code, IcpErrorCode.Forbidden);
      assert.equal(error.message, `${slot} is not a compose project of org/app`);
    }
  });

  it('an organisation that is not on the allow-list (403)', async () => {
    const error = await refused('td_evil--b_app', 'evil');
    assert.equal(error.code, IcpErrorCode.Forbidden);
    assert.match(error.message, /not on this Worker's allow-list/);
  });
});
