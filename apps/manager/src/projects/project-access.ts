import { Injectable } from '@nestjs/common';
import { Document } from 'mongodb';
import { Forbidden, NotFound, ProjectRole } from '@testausdeploy/domain';
import { Caller } from '../auth/caller';
import { ReadModels } from '../events/read-models';
import { DeploymentView } from '../deployments/projections/deployment-view';
import { DEPLOYMENTS } from '../deployments/projections/deployments.projection';
import { projectKey, ProjectView } from './projections/project-view';
import { PROJECTS } from './projections/projects.projection';

/** What a caller may do on a project: an admin everything, a member what their role allows. */
export type ProjectAccessLevel = 'admin' | ProjectRole;

/** A repository a member holds a role on, and where in the log the project they hold it on began. */
export interface ProjectRef {
  org: string;
  repo: string;
  since: number;
}

/**
 * Decides what a caller may see and do of projects and their deployments. A member sees the projects they
 * hold a role on and nothing else: a deployment of any other answers exactly as one that does not exist.
 */
@Injectable()
export class ProjectAccess {
  constructor(private readonly readModels: ReadModels) {}

  /**
   * The caller's level on the project, if they may `needs` there: a project that is none (never deployed, no
   * role granted) or one they hold no role on answers as not existing; a viewer's change says it needs more.
   */
  async project(caller: Caller, org: string, repo: string, needs: ProjectRole): Promise<ProjectAccessLevel> {
    const exists = await this.views().findOne({ _id: projectKey(org, repo) }, { projection: { _id: 1 } });
    const level = exists && (await this.levelOn(caller, org, repo));
    if (!level) throw new NotFound(`project ${org}/${repo} does not exist`);
    if (needs === 'maintainer' && level === 'viewer') {
      throw new Forbidden(`this needs the maintainer role on ${org}/${repo}: you are its viewer`);
    }
    return level;
  }

  /** The caller's level on the project, or null when they hold no role on it (or it does not exist). */
  async levelOn(caller: Caller, org: string, repo: string): Promise<ProjectAccessLevel | null> {
    if (caller.role === 'admin') return 'admin';
    const view = await this.views().findOne({ _id: projectKey(org, repo) });
    return view?.roles.find(({ memberId }) => memberId === caller.memberId)?.role ?? null;
  }

  /** The projects the caller holds a role on; null for an admin, who may see every one. */
  async projectsOf(caller: Caller): Promise<ProjectRef[] | null> {
    if (caller.role === 'admin') return null;
    const views = await this.views()
      .find({ 'roles.memberId': caller.memberId }, { projection: { org: 1, repo: 1, since: 1, roles: 1 } })
      .toArray();
    // The index finds candidates; the exact match keeps a stale multikey hit from widening the view.
    return views
      .filter(({ roles }) => roles.some(({ memberId }) => memberId === caller.memberId))
      .map(({ org, repo, since }) => ({ org, repo, since }));
  }

  /**
   * The deployment, if the caller holds at least `needs` on its project. One they may not see (another project's,
   * or one of a project removed since, whoever holds the repository now) answers as one that does not exist;
   * one they may see but not act on says which role it takes.
   */
  async deployment(caller: Caller, deploymentId: string, needs: ProjectRole): Promise<DeploymentView> {
    const view = await this.readModels
      .collection<DeploymentView>(DEPLOYMENTS)
      .findOne({ _id: deploymentId }, { projection: { _id: 0 } });
    const level = view && (await this.levelOn(caller, view.org, view.repo));
    const current = level === 'admin' || (view && !(await this.endedWithItsProject(view)));
    if (!view || !level || !current) throw new NotFound(`deployment ${deploymentId} does not exist`);
    if (needs === 'maintainer' && level === 'viewer') {
      throw new Forbidden(`this needs the maintainer role on ${view.org}/${view.repo}: you are its viewer`);
    }
    return view;
  }

  /** Whether the deployment is of a project removed since (the repository may be a project again). */
  async endedWithItsProject({ org, repo, requestedPosition }: DeploymentView): Promise<boolean> {
    const project = await this.views().findOne({ _id: projectKey(org, repo) }, { projection: { since: 1 } });
    return !project || requestedPosition < project.since;
  }

  private views() {
    return this.readModels.collection<ProjectView>(PROJECTS);
  }
}

/** A query filter for documents with `org` and `repo` that keeps those of `projects` (null: all of them). */
export function ofProjects(projects: ProjectRef[] | null): Document {
  if (projects === null) return {};
  if (projects.length === 0) return { _id: { $in: [] } };
  return { $or: projects.map(({ org, repo }) => ({ org, repo })) };
}

/** A filter of the deployments read model: those of the projects as they are now (all for null). */
export function ofProjectsDeployments(projects: ProjectRef[] | null): Document {
  if (projects === null) return {};
  if (projects.length === 0) return { _id: { $in: [] } };
  return {
    $or: projects.map(({ org, repo, since }) => ({ org, repo, requestedPosition: { $gte: since } })),
  };
}
