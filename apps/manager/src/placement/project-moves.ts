import { Injectable } from '@nestjs/common';
import { NodeConnections } from '../nodes/node-connections';
import { ProjectRepository } from '../projects/project.repository';

const REMOVE_TIMEOUT_MS = 5 * 60_000;

/**
 * The end of a move (docs/scaling.md, "Moving a project"): once the project's deployment on the new node has
 * come up, the project is recorded as moved (its commands, firewall and routes go to the new node from then
 * on), and after the success is recorded it is removed from the old one; a move that failed is cleared from the
 * new node, and the project runs on where it ran.
 */
@Injectable()
export class ProjectMoves {
  constructor(
    private readonly projects: ProjectRepository,
    private readonly connections: NodeConnections,
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

  /** Removes everything of the project from `node`: the one it moved away from, or the one a failed move left. */
  async removeFrom(org: string, repo: string, node: string, log: (line: string) => void) {
    try {
      await this.connections
        .workerOn(node)
        .request('removeProject', { org, repo }, { timeoutMs: REMOVE_TIMEOUT_MS });
      log(`removed from ${node}`);
    } catch (error) {
      log(`not removed from ${node}: ${(error as Error).message}; remove what is left there by hand`);
    }
  }
}
