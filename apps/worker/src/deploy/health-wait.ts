import { ContainerView } from './project-containers';

/** Why a project is not (yet) healthy: null when healthy, `waiting` while it may still become so. */
export function healthProblem(containers: ContainerView[]): { final: boolean; reason: string } | null {
  if (containers.length === 0) return { final: true, reason: 'no containers are running' };
  for (const { service, state, status } of containers) {
    const exited = /^Exited \((\d+)\)/.exec(status);
    // A one-shot service (a migration, a build step) may end; ending with an error is a failure.
    if (exited && exited[1] !== '0')
      return { final: true, reason: `service "${service}" exited with code ${exited[1]}` };
    if (state === 'dead') return { final: true, reason: `service "${service}" is dead` };
    if (/\(unhealthy\)/.test(status)) return { final: true, reason: `service "${service}" is unhealthy` };
    if (state === 'restarting') return { final: false, reason: `service "${service}" keeps restarting` };
    if (state === 'created') return { final: false, reason: `service "${service}" has not started` };
    if (/\(health: starting\)/.test(status))
      return { final: false, reason: `service "${service}" is not healthy yet` };
  }
  return null;
}

export interface HealthWaitOptions {
  timeoutMs: number;
  /** How long a project must look healthy before it counts (a crashing container needs a moment to exit). */
  settleMs: number;
  pollMs: number;
}

/**
 * Waits until the project's containers are up (running, healthy where they have a healthcheck, one-shot ones
 * ended without error) and stay so for `settleMs`. Throws the reason when one fails for good, or when the
 * project is not healthy within `timeoutMs`.
 */
export async function waitHealthy(
  list: () => Promise<ContainerView[]>,
  options: HealthWaitOptions,
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let healthySince: number | null = null;
  let last = 'not checked';
  for (;;) {
    const problem = healthProblem(await list());
    if (problem?.final) throw new UnhealthyError(problem.reason);
    if (problem) {
      healthySince = null;
      last = problem.reason;
    } else {
      healthySince ??= Date.now();
      if (Date.now() - healthySince >= options.settleMs) return;
    }
    if (Date.now() > deadline) {
      throw new UnhealthyError(`not healthy within ${Math.round(options.timeoutMs / 1000)} s: ${last}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
  }
}

export class UnhealthyError extends Error {
  override readonly name = 'UnhealthyError';
}
