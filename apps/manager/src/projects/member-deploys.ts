import { Injectable } from '@nestjs/common';
import { Conflict, DeploymentSource, DeploymentSourceProps, Forbidden } from '@testausdeploy/domain';
import { ConcurrencyError, EventStore } from '@testausdeploy/events';
import { Caller } from '../auth/caller';
import { ReadModels } from '../events/read-models';
import { OrganisationDirectory } from '../organisations/organisation-directory';
import { ProjectAccess } from './project-access';
import { ProjectRepository } from './project.repository';
import { projectKey, ProjectView } from './projections/project-view';
import { PROJECTS } from './projections/projects.projection';

/**
 * Whether a member may deploy a source: a maintainer of its project may; anyone may deploy a repository that is
 * no project yet when its organisation's member deploys are on, and becomes its maintainer first.
 */
@Injectable()
export class MemberDeploys {
  constructor(
    private readonly access: ProjectAccess,
    private readonly organisations: OrganisationDirectory,
    private readonly projects: ProjectRepository,
    private readonly readModels: ReadModels,
    private readonly store: EventStore,
  ) {}

  async authorise(caller: Caller, source: DeploymentSourceProps): Promise<void> {
    if (caller.role === 'admin') return;
    const { org, repo } = DeploymentSource.create(source).props;
    const level = await this.access.levelOn(caller, org, repo);
    if (level === 'maintainer') return;
    const needs = `deploying ${org}/${repo} needs the maintainer role on it`;
    if (level === 'viewer') throw new Forbidden(`${needs}: you are its viewer`);
    if (!(await this.organisations.memberDeploys(org))) {
      throw new Forbidden(`${needs}, or member deploys turned on for "${org}" by an admin`);
    }
    // The projects read model must have taken in every deployment recorded so far, or a repository deployed a
    // moment ago would look like nobody's.
    await this.readModels.waitFor(await this.store.headPosition());
    const existing = await this.readModels
      .collection<ProjectView>(PROJECTS)
      .findOne({ _id: projectKey(org, repo) });
    const taken = `${org}/${repo} is already a project: ask an admin for a role on it`;
    if (existing) throw new Conflict(taken);
    const project = await this.projects.load(org, repo);
    project.claim({ memberId: caller.memberId as string, member: caller.member as string });
    await this.projects.save(project, caller.actor).catch((error: unknown) => {
      // Someone else claimed it a moment before.
      throw error instanceof ConcurrencyError ? new Conflict(taken) : error;
    });
  }
}
