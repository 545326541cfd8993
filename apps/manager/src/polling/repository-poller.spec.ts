import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManagerConfig } from '../config/manager-config';
import { DeploymentView } from '../deployments/projections/deployment-view';
import { Conflict, Unavailable } from '@testausdeploy/domain';
import { ProjectPlacements } from '../placement/project-placements';
import { ObservationRecorder } from '../observations/observation-recorder';
import { BranchFollower } from './branch-follower';
import { RepositoryPoller } from './repository-poller';
import { WatchedSources } from './watched-sources';

const running = 'a'.repeat(40);
const view = (repo: string) =>
  ({
    org: 'o',
    repo,
    branch: 'main',
    composePath: 'compose.yml',
    status: 'succeeded',
    commit: running,
  }) as DeploymentView;

describe('RepositoryPoller rounds (Worker, placements and follower stood in for)', () => {
  it('sums up each round: heads unchanged, followed, failed (placed nowhere too), repositories backed off and those on a node that is down', async () => {
    const heads: Record<string, string> = { same: running, moved: 'b'.repeat(40) };
    const asked: string[] = [];
    const worker = {
      request: async (_command: string, { repo }: { repo: string }) => {
        asked.push(repo);
        if (!heads[repo]) throw new Error('repository not found');
        return { commit: heads[repo] };
      },
    };
    const placements = {
      workerOf: async (_org: string, repo: string) => {
        if (repo === 'down') throw new Unavailable('node b is unreachable');
        if (repo === 'nowhere') throw new Conflict('o/nowhere runs on no node yet');
        return worker;
      },
    } as unknown as ProjectPlacements;
    const follower = {
      follow: async (newest: DeploymentView, commit: string) => (commit === newest.commit ? null : 'd2'),
    } as unknown as BranchFollower;
    const sources = {
      all: async () => ['same', 'moved', 'gone', 'down', 'nowhere'].map(view),
    } as unknown as WatchedSources;
    const config = { POLL_INTERVAL_MS: 60_000, POLL_CONCURRENCY: 2 } as ManagerConfig;
    const backedOff: string[] = [];
    const observations = {
      record: async (subject: () => { streamId: string }) => void backedOff.push(subject().streamId),
    } as unknown as ObservationRecorder;
    const poller = new RepositoryPoller(config, sources, placements, follower, observations);

    const first = await poller.round();
    assert.deepEqual(
      { ...first, ms: 0 },
      { unchanged: 1, followed: 1, failed: 2, backedOff: 0, unreachable: 1, ms: 0 },
    );
    assert.ok(first.ms >= 0);
    // The failed one waits out its back-off; the others are asked again; the one whose node is down is not
    // asked, nor backed off.
    asked.length = 0;
    const second = await poller.round();
    assert.deepEqual(
      { ...second, ms: 0 },
      { unchanged: 1, followed: 1, failed: 0, backedOff: 2, unreachable: 1, ms: 0 },
    );
    assert.deepEqual(asked.sort(), ['moved', 'same']);
    // The back-off is recorded once, when it starts; a project placed nowhere is backed off like a failure.
    assert.deepEqual(backedOff.sort(), ['observed-polling-o/gone', 'observed-polling-o/nowhere']);
  });
});
