import { Injectable } from '@nestjs/common';
import { chooseNode, Conflict, Project } from '@testausdeploy/domain';
import { ConcurrencyError } from '@testausdeploy/events';
import { IcpClient } from '@testausdeploy/icp';
import { NodeConnections } from '../nodes/node-connections';
import { NodeDirectory } from '../nodes/node-directory';
import { ProjectRepository } from '../projects/project.repository';
import { NodeCandidates } from './node-candidates';

/** What a deployment request may say of where a new project goes. */
export interface PlacementWish {
  /** An admin's choice of node. */
  node?: string;
  /** Only a node with all of these labels. */
  labels?: string[];
}

/**
 * Where each project runs: placed by rule when it is first deployed (docs/scaling.md, "Placement"), recorded in
 * its stream (`ProjectPlaced`), and every command for it sent to that node's Worker only.
 */
@Injectable()
export class ProjectPlacements {
  constructor(
    private readonly projects: ProjectRepository,
    private readonly candidates: NodeCandidates,
    private readonly connections: NodeConnections,
    private readonly directory: NodeDirectory,
  ) {}

  /**
   * The node the project runs on, placing it first if it has none. A wish the node it runs on does not meet is
   * refused: a project moves only when an admin moves it.
   */
  async place(org: string, repo: string, wish: PlacementWish, actor: string): Promise<string> {
    const project = await this.projects.load(org, repo);
    if (project.node) return this.check(project, project.node, wish);
    project.place(
      chooseNode(await this.candidates.all(), {
        kind: 'project',
        ...wish,
        estimateBytes: this.candidates.estimateBytes,
      }),
    );
    try {
      await this.projects.save(project, actor);
    } catch (error) {
      // Placed by another request a moment before: that placement holds.
      if (!(error instanceof ConcurrencyError)) throw error;
      return this.place(org, repo, wish, actor);
    }
    return project.node as string;
  }

  /** Refuses (503) while the node the project runs on is unreachable; a project not placed yet passes. */
  async ensureReachable(org: string, repo: string): Promise<void> {
    const node = await this.nodeOf(org, repo);
    if (node) this.connections.workerOn(node);
  }

  /** The node the project runs on; null before its first deployment. */
  async nodeOf(org: string, repo: string): Promise<string | null> {
    return (await this.projects.load(org, repo)).node;
  }

  /**
   * The Worker of the project's node, for a command about what runs there: a 503 while that node is
   * unreachable, never another Worker; a 409 for a project placed nowhere (nothing of it runs anywhere).
   */
  async workerOf(org: string, repo: string): Promise<IcpClient> {
    const node = await this.nodeOf(org, repo);
    if (node) return this.connections.workerOn(node);
    if (this.connections.ofKind('worker').length === 0) {
      throw new Conflict('no Worker is enrolled: enrol one with POST /nodes');
    }
    throw new Conflict(`${org}/${repo} runs on no node yet: deploy it first`);
  }

  /** The Worker a deployment runs on: the project's node, placed by rule now if this is its first run. */
  async workerToDeploy(org: string, repo: string): Promise<IcpClient> {
    return this.connections.workerOn(await this.place(org, repo, {}, 'system'));
  }

  /** The Guardian of the project's node (the proxy and firewall its requests pass); null before it is placed. */
  async guardianOf(org: string, repo: string): Promise<string | null> {
    const node = await this.nodeOf(org, repo);
    return node ? ((await this.directory.find(node))?.guardian ?? null) : null;
  }

  private async check(project: Project, node: string, { node: named, labels = [] }: PlacementWish) {
    const moveIt = `an admin moves it with POST /projects/${project.org}/${project.repo}/move`;
    if (named !== undefined && named !== node) {
      throw new Conflict(`${project.org}/${project.repo} runs on ${node}, not ${named}: ${moveIt}`);
    }
    const has = (await this.directory.find(node))?.labels ?? [];
    const missing = labels.filter((label) => !has.includes(label));
    if (missing.length > 0) {
      throw new Conflict(
        `${project.org}/${project.repo} runs on ${node}, which lacks ${missing.join(', ')}: ${moveIt}`,
      );
    }
    return node;
  }
}
