import { Injectable } from '@nestjs/common';
import { DeploymentStatus, NotFound, ProjectRole } from '@testausdeploy/domain';
import { Caller } from '../auth/caller';
import { ReadModels } from '../events/read-models';
import { DeploymentView } from '../deployments/projections/deployment-view';
import { DEPLOYMENTS } from '../deployments/projections/deployments.projection';
import { MemberView } from '../members/projections/member-view';
import { MEMBERS } from '../members/projections/members.projection';
import { ofProjects, ProjectAccess, ProjectAccessLevel } from './project-access';
import { NodeConnections } from '../nodes/node-connections';
import { projectKey, ProjectPlacementView, ProjectView } from './projections/project-view';
import { PROJECTS } from './projections/projects.projection';

/** A project as the API shows it to a caller who may see it. */
export interface ProjectSummary {
  org: string;
  repo: string;
  /** What the caller may do on it. */
  access: ProjectAccessLevel;
  members: { member: string; role: ProjectRole; grantedBy: string; grantedAt: Date }[];
  latest: {
    deploymentId: string;
    branch: string;
    composePath: string;
    requestedAt: Date;
    status: DeploymentStatus | null;
  } | null;
  /** The node it runs on and how it came there; null before its first deployment placed it. */
  placement: ProjectPlacementView | null;
  /** Since when its node has been unreachable (its commands are refused meanwhile); null while it answers. */
  unreachableSince: Date | null;
}

/** Reads projects for the API, each caller their own. */
@Injectable()
export class ProjectDirectory {
  constructor(
    private readonly readModels: ReadModels,
    private readonly access: ProjectAccess,
    private readonly nodes: NodeConnections,
  ) {}

  async list(caller: Caller): Promise<ProjectSummary[]> {
    const visible = await this.access.projectsOf(caller);
    const views = await this.readModels
      .collection<ProjectView>(PROJECTS)
      .find(ofProjects(visible))
      .sort({ _id: 1 })
      .toArray();
    return this.summaries(caller, views);
  }

  /** One project; one the caller may not see answers as one that does not exist. */
  async get(caller: Caller, org: string, repo: string): Promise<ProjectSummary> {
    const view = await this.readModels
      .collection<ProjectView>(PROJECTS)
      .findOne({ _id: projectKey(org, repo) });
    const [summary] =
      view && (await this.access.levelOn(caller, org, repo)) ? await this.summaries(caller, [view]) : [];
    if (!summary) throw new NotFound(`project ${org}/${repo} does not exist`);
    return summary;
  }

  private async summaries(caller: Caller, views: ProjectView[]): Promise<ProjectSummary[]> {
    const memberIds = views.flatMap(({ roles }) => roles.map(({ memberId }) => memberId));
    const deploymentIds = views.flatMap(({ latest }) => (latest ? [latest.deploymentId] : []));
    const [current, deployments] = await Promise.all([
      this.readModels
        .collection<MemberView>(MEMBERS)
        .find({ memberId: { $in: memberIds } }, { projection: { memberId: 1 } })
        .toArray(),
      this.readModels
        .collection<DeploymentView>(DEPLOYMENTS)
        .find({ _id: { $in: deploymentIds } }, { projection: { status: 1 } })
        .toArray(),
    ]);
    // A grant to a member since removed is no one's: a later member of that name is someone else.
    const present = new Set(current.map(({ memberId }) => memberId));
    const status = new Map(deployments.map(({ _id, status }) => [_id, status]));
    return views.map(({ org, repo, roles, latest, placement }) => ({
      org,
      repo,
      access:
        caller.role === 'admin'
          ? 'admin'
          : (roles.find(({ memberId }) => memberId === caller.memberId)?.role as ProjectRole),
      members: roles
        .filter(({ memberId }) => present.has(memberId))
        .map(({ member, role, grantedBy, grantedAt }) => ({ member, role, grantedBy, grantedAt })),
      latest: latest && { ...latest, status: status.get(latest.deploymentId) ?? null },
      placement: placement ?? null,
      unreachableSince: placement ? this.nodes.unreachableSince(placement.node) : null,
    }));
  }
}
