import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { Filter } from 'mongodb';
import { ReadModels } from '../events/read-models';
import { NodeDirectory } from '../nodes/node-directory';
import { NodeSessionOpened } from '../nodes/node-session-opened.event';
import { ProjectView } from '../projects/projections/project-view';
import { PROJECTS } from '../projects/projections/projects.projection';
import { MOVE_RETRY_MS, ProjectMoves } from './project-moves';

/**
 * A move whose old copy was not removed (the Manager stopped after the switch, the old node was away, the new
 * node's Guardian did not confirm its routes in time, the removal failed) stays to be finished, as the project's
 * `leftOn` says, and is finished later: when the old node's Worker session opens, which it does after every
 * start and every return of the node; when the Guardian of the project's node connects; and every
 * MOVE_RETRY_MS for what failed while both stayed connected (docs/scaling.md, "Moving a project").
 */
@Injectable()
@EventsHandler(NodeSessionOpened)
export class UnfinishedMoves
  implements IEventHandler<NodeSessionOpened>, OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger(UnfinishedMoves.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly readModels: ReadModels,
    private readonly directory: NodeDirectory,
    private readonly moves: ProjectMoves,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.finishInBackground({}), MOVE_RETRY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  handle({ kind, name }: NodeSessionOpened): void {
    this.finishInBackground(kind === 'worker' ? { from: name } : { guardian: name });
  }

  /** Finishes the moves left on the node `from`, or of the projects whose node's Guardian is `guardian`, or all. */
  async finish(which: { from?: string; guardian?: string }): Promise<void> {
    await this.readModels.started;
    const filter: Filter<ProjectView> = which.from
      ? { 'placement.leftOn': which.from }
      : { 'placement.leftOn.0': { $exists: true } };
    if (which.guardian) {
      const nodes = (await this.directory.all()).filter(({ guardian }) => guardian === which.guardian);
      filter['placement.node'] = { $in: nodes.map(({ name }) => name) };
    }
    const projects = await this.readModels.collection<ProjectView>(PROJECTS).find(filter).toArray();
    for (const { org, repo, placement } of projects) {
      for (const from of placement?.leftOn ?? []) {
        if (which.from && from !== which.from) continue;
        const log = (line: string) => this.logger.warn(`${org}/${repo}, moved away from ${from}: ${line}`);
        await this.moves.finish(org, repo, from, 'system', log);
      }
    }
  }

  /** Not awaited by the caller: the app serves meanwhile. */
  private finishInBackground(which: { from?: string; guardian?: string }): void {
    void this.finish(which).catch((error: Error) =>
      this.logger.error(`finishing the moves left unfinished: ${error.message}`),
    );
  }
}
