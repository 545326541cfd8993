import { Injectable } from '@nestjs/common';
import { Project } from '@testausdeploy/domain';
import { EventRecorder } from '../events/event-recorder';

/** Loads a Project (the roles on one repository) from its stream and saves what it decided, as `actor`. */
@Injectable()
export class ProjectRepository {
  constructor(private readonly recorder: EventRecorder) {}

  load(org: string, repo: string): Promise<Project> {
    return this.recorder.load(new Project(org, repo), Project.streamId(org, repo));
  }

  async save(project: Project, actor: string): Promise<void> {
    await this.recorder.saveAs(Project.streamId(project.org, project.repo), project, actor);
  }
}
