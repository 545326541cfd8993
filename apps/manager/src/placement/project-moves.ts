import { Injectable } from '@nestjs/common';
import { ConcurrencyError } from '@testausdeploy/events';
import { newestDeployment } from '../deployments/newest-deployment';
import { SourceLocks } from '../deployments/source-locks';
import { ReadModels } from '../events/read-models';
import { NodeConnections } from '../nodes/node-connections';
import { ProjectRepository } from '../projects/project.repository';
import { GuardianConfirmation } from './guardian-confirmation';
import { ProjectPlacements } from './project-placements';

const REMOVE_TIMEOUT_MS = 5 * 60_000;
/** How long the new node's Guardian has to take the project's rules and routes before the old copy goes. */
const GUARDIAN_CONFIRM_MS = 60_000;
/** How often a move left unfinished is tried again while its nodes stay connected (UnfinishedMoves). */
export const MOVE_RETRY_MS = 10 * 60_000;

/**
 * The end of a move (docs/scaling.md, "Moving a project"): once the project's deployment on the new node has
 * come up, the project is recorded as moved (its commands, firewall and routes go to the new node from then
 * on); after the success is recorded and the new node's Guardian has taken its rules and routes, it is removed
 * from the old one, and that is recorded too (`ProjectMoveFinished`). A move that failed is cleared from the new
 * node, and the project runs on where it ran.
 */
@Injectable()
export class ProjectMoves {
  constructor(
    private readonly projects: ProjectRepository,
    private readonly connections: NodeConnections,
    private readonly placements: ProjectPlacements,
    private readonly guardians: GuardianConfirmation,
    private readonly readModels: ReadModels,
    private readonly locks: SourceLocks,
  ) {}

  /**
   * Records that the project runs on `to` (its commands, firewall and routes go there from now on) and answers
   * the node it ran on; a switch made already (an attempt run again after the Manager stopped) is not made twice.
   */
  async switch(org: string, repo: string, to: string, actor: string, log: (line: string) => void) {
    const project = await this.projects.load(org, repo);
    if (project.node === to) return project.movedFrom;
    const from = project.node;
    project.moved(to);
    await this.projects.save(project, actor);
    log(`${org}/${repo} runs on ${to} now`);
    return from;
  }

  /**
   * Removes everything of the project from the node a failed move left it on, unless the project runs there: a
   * move whose switch was made already (its attempt run again after a stop, or a second move to the same node)
   * fails like any redeploy there, and must not take the running copy with it.
   */
  async removeFrom(org: string, repo: string, node: string, log: (line: string) => void) {
    if ((await this.projects.load(org, repo)).node === node) {
      log(`not removed from ${node}: ${org}/${repo} runs there`);
      return;
    }
    try {
      await this.remove(org, repo, node);
      log(`removed from ${node}`);
    } catch (error) {
      log(`not removed from ${node}: ${(error as Error).message}; remove what is left there by hand`);
    }
  }

  /**
   * Removes what the project left on `from`, a node it moved away from, once the Guardian of the node it runs on
   * has taken its rules and routes, and records that the move is finished. Holding the project's deploy lock, so
   * that it never meets a deployment on `from` (a move back there). Whatever stops it (the Guardian does not
   * confirm in time, `from` is unreachable, the removal fails) is said in `log`, and the old copy stays to be
   * removed: UnfinishedMoves tries again. True once nothing is left on `from`.
   */
  finish(org: string, repo: string, from: string, actor: string, log: (line: string) => void) {
    return this.finishing(org, repo, from, actor, log).catch((error: Error) => {
      log(`not removed from ${from} yet: ${error.message}; it is tried again`);
      return false;
    });
  }

  private async finishing(
    org: string,
    repo: string,
    from: string,
    actor: string,
    log: (line: string) => void,
  ): Promise<boolean> {
    if (!(await this.projects.load(org, repo)).leftOn.includes(from)) return true;
    const guardian = await this.placements.guardianOf(org, repo);
    const unconfirmed = guardian && (await this.guardians.took(guardian, GUARDIAN_CONFIRM_MS));
    if (unconfirmed) {
      log(
        `not removed from ${from} yet, since the new node's Guardian has to take its rules and routes first: ${unconfirmed}`,
      );
      return false;
    }
    const newest = await newestDeployment(this.readModels, org, repo);
    const lock = { org, repo, deploymentId: newest?.id ?? '', requestedBy: actor };
    return this.locks.run(lock, async () => {
      // Read again under the lock: a move back to `from`, or another finish, may have come first.
      if (!(await this.projects.load(org, repo)).leftOn.includes(from)) return true;
      await this.remove(org, repo, from);
      await this.recordFinished(org, repo, from, actor);
      log(`removed from ${from}`);
      return true;
    });
  }

  /**
   * Removes what the project left on the nodes it moved away from, as its own removal's first step: no Guardian
   * is waited for, since the project goes, and a node that cannot remove it refuses the removal (a 503).
   */
  async removeLeftOvers(org: string, repo: string, actor: string): Promise<void> {
    for (const from of (await this.projects.load(org, repo)).leftOn) {
      await this.remove(org, repo, from);
      await this.recordFinished(org, repo, from, actor);
    }
  }

  private async remove(org: string, repo: string, node: string) {
    await this.connections
      .workerOn(node)
      .request('removeProject', { org, repo }, { timeoutMs: REMOVE_TIMEOUT_MS });
  }

  /** Recorded again on a stream that changed meanwhile (a role granted): the removal is done either way. */
  private async recordFinished(org: string, repo: string, from: string, actor: string, attempt = 0) {
    const project = await this.projects.load(org, repo);
    if (!project.leftOn.includes(from)) return;
    project.moveFinished(from);
    try {
      await this.projects.save(project, actor);
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt > 2) throw error;
      await this.recordFinished(org, repo, from, actor, attempt + 1);
    }
  }
}
