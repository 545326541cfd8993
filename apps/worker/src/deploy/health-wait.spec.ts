import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { healthProblem, waitHealthy } from './health-wait';
import { ContainerView } from './project-containers';

const container = (state: string, status: string, service = 'web'): ContainerView => ({
  id: service,
  name: `p_${service}_1`,
  service,
  state,
  status,
  ports: [],
});

describe('health of a deployed project', () => {
  it('tells running, healthy and cleanly finished containers from failing ones', () => {
    assert.equal(
      healthProblem([
        container('running', 'Up 3 seconds'),
        container('exited', 'Exited (0) 1 second ago', 'migrate'),
      ]),
      null,
    );
    assert.equal(healthProblem([container('running', 'Up 9 seconds (healthy)')]), null);
    assert.deepEqual(healthProblem([container('exited', 'Exited (1) 2 seconds ago')]), {
      final: true,
      reason: 'service "web" exited with code 1',
    });
    assert.equal(healthProblem([container('running', 'Up 5 seconds (unhealthy)')])?.final, true);
    assert.equal(healthProblem([container('running', 'Up 1 second (health: starting)')])?.final, false);
    assert.equal(healthProblem([container('restarting', 'Restarting (1) 1 second ago')])?.final, false);
    assert.equal(healthProblem([])?.final, true);
  });

  it('waits for a project to settle, and gives up with the last reason', async () => {
    const states = [[container('created', 'Created')], [container('running', 'Up 1 second')]];
    let calls = 0;
    await waitHealthy(async () => states[Math.min(calls++, 1)], {
      timeoutMs: 2000,
      settleMs: 30,
      pollMs: 10,
    });
    assert.ok(calls >= 3);
    await assert.rejects(
      waitHealthy(async () => [container('restarting', 'Restarting (1)')], {
        timeoutMs: 50,
        settleMs: 0,
        pollMs: 10,
      }),
      /not healthy within 0 s: service "web" keeps restarting/,
    );
    await assert.rejects(
      waitHealthy(async () => [container('exited', 'Exited (137) now')], {
        timeoutMs: 5000,
        settleMs: 0,
        pollMs: 10,
      }),
      /exited with code 137/,
    );
  });
});
