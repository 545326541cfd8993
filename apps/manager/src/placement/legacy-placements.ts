import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { MemberContainer, Placement } from '@testausdeploy/domain';
import { ContainerView } from '../containers/projections/container-view';
import { CONTAINERS } from '../containers/projections/containers.projection';
import { EventRecorder } from '../events/event-recorder';
import { ReadModels } from '../events/read-models';
import { NodeDirectory } from '../nodes/node-directory';
import { ProjectRepository } from '../projects/project.repository';
import { ProjectView } from '../projects/projections/project-view';
import { PROJECTS } from '../projects/projections/projects.projection';

/**
 * What ran before placements were recorded ran on the one Worker there was. When the Manager starts with one
 * Worker enrolled, every project that was deployed and every container that is not deleted, yet has no node, is
 * placed on it (rule `only`), so that a second Worker enrolled later changes nothing about where they are
 * (docs/scaling.md, "Upgrading from one node").
 */
@Injectable()
export class LegacyPlacements implements OnApplicationBootstrap {
  private readonly logger = new Logger(LegacyPlacements.name);

  constructor(
    private readonly readModels: ReadModels,
    private readonly directory: NodeDirectory,
    private readonly projects: ProjectRepository,
    private readonly recorder: EventRecorder,
  ) {}

  onApplicationBootstrap(): void {
    void this.placeAll().catch((error: Error) =>
      this.logger.error(`placing what ran before placements were recorded: ${error.message}`),
    );
  }

  /** Places the unplaced on the only Worker, if there is exactly one; how many were placed. */
  async placeAll(): Promise<number> {
    const workers = (await this.directory.all()).filter((view) => view.kind === 'worker');
    if (workers.length !== 1) return 0;
    const node = workers[0].name;
    const placement: Placement = {
      node,
      rule: 'only',
      reason: `${node} was the only Worker when placements began to be recorded`,
    };
    const projects = await this.readModels
      .collection<ProjectView>(PROJECTS)
      .find({ placement: null, latest: { $ne: null } }, { projection: { org: 1, repo: 1 } })
      .toArray();
    let placed = 0;
    // One that fails (a command on it at the same moment) is logged, and the others go on.
    const each = (what: string, place: () => Promise<boolean>) =>
      place().then(
        (done) => void (placed += done ? 1 : 0),
        (error: Error) => this.logger.warn(`placing ${what}: ${error.message}`),
      );
    for (const { org, repo } of projects) {
      await each(`${org}/${repo}`, async () => {
        const project = await this.projects.load(org, repo);
        if (project.node) return false;
        project.place(placement);
        await this.projects.save(project, 'system');
        return true;
      });
    }
    const containers = await this.readModels
      .collection<ContainerView>(CONTAINERS)
      .find({ node: null, status: { $in: ['creating', 'running', 'stopped'] } }, { projection: { name: 1 } })
      .toArray();
    for (const { name } of containers) {
      await each(name, async () => {
        const container = await this.recorder.load(new MemberContainer(name), MemberContainer.streamId(name));
        if (container.node) return false;
        container.place(placement);
        await this.recorder.saveAs(MemberContainer.streamId(name), container, 'system');
        return true;
      });
    }
    if (placed > 0)
      this.logger.log(`placed ${placed} projects and containers from before placements on ${node}`);
    return placed;
  }
}
