import { Logger } from '@nestjs/common';
import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { NodeSessionOpened } from '../nodes/node-session-opened.event';
import { ContainerCreation } from './container-creation';
import { ContainerDirectory } from './container-directory';
import { ContainerLocks } from './container-locks';
import { ContainerMoves } from './container-moves';
import { ContainerRepository } from './container.repository';
import { WorkerContainers } from './worker-containers';

/**
 * A container left `creating` by a Manager that stopped half way ends in a definite state once a Worker is
 * connected: `running` if the Worker has it, `failed` if not. A move left under way is undone once both of its
 * nodes answer (ContainerMoves.undo), and the old copy a move left is removed once its node answers. Each container is settled when the Worker of one of its nodes connects.
 * Creations this process is running are left alone, and a move it is running holds the container's lock until
 * it is done or undone.
 */
@EventsHandler(NodeSessionOpened)
export class UnfinishedContainers implements IEventHandler<NodeSessionOpened> {
  private readonly logger = new Logger(UnfinishedContainers.name);

  constructor(
    private readonly directory: ContainerDirectory,
    private readonly repository: ContainerRepository,
    private readonly creation: ContainerCreation,
    private readonly worker: WorkerContainers,
    private readonly locks: ContainerLocks,
    private readonly moves: ContainerMoves,
  ) {}

  handle({ kind, name }: NodeSessionOpened): void {
    if (kind !== 'worker') return;
    void this.settle(name).catch((error: Error) =>
      this.logger.error(`settling unfinished containers: ${error.message}`),
    );
    void this.undoMoves(name)
      .then(() => this.finishMoves(name))
      .catch((error: Error) => this.logger.error(`settling the containers' moves: ${error.message}`));
  }

  /** Removes what moves left on `node` (their old copies, stopped, and backups), under each container's lock. */
  async finishMoves(node: string): Promise<void> {
    for (const name of await this.directory.leftOn(node)) {
      const log = (line: string) => this.logger.warn(`${name}: ${line}`);
      await this.locks
        .run(name, async () => {
          const container = await this.repository.load(name);
          const { leftOn } = container;
          if (leftOn?.from !== node || container.node === node) return;
          await this.moves.clearAfter(name, leftOn, container.node!, log);
          container.moveFinished();
          await this.repository.save(container, 'manager');
        })
        .catch((error: Error) => log(`its old copy on ${node} is not removed yet: ${error.message}`));
    }
  }

  /** Undoes the moves a stopped Manager left under way from or to `node`, under each container's lock. */
  async undoMoves(node: string): Promise<void> {
    const moving = (await this.directory.live()).filter(
      (view) => view.moving && (view.moving.from === node || view.moving.to === node),
    );
    for (const { name } of moving) {
      const log = (line: string) => this.logger.warn(`${name}: ${line}`);
      await this.locks
        .run(name, async () => {
          const container = await this.repository.load(name);
          const { moving: move } = container.status === null ? { moving: null } : container;
          if (!move || (move.from !== node && move.to !== node)) return;
          await this.moves.undo(name, move, log);
          container.moveAbandoned(`the Manager stopped during the move; ${name} stays on ${move.from}`);
          await this.repository.save(container, 'manager');
          log(`the move to ${move.to} that a stop cut short is undone`);
        })
        // The other node answers later: its session opening tries again.
        .catch((error: Error) => log(`the move a stop cut short is not undone yet: ${error.message}`));
    }
  }

  /** Settles the unfinished containers on `node` (and those requested before placements were recorded). */
  async settle(node: string): Promise<void> {
    const unfinished = (await this.directory.live()).filter(
      (view) =>
        view.status === 'creating' && !this.creation.running(view.name) && (view.node ?? node) === node,
    );
    for (const { name } of unfinished) {
      const container = await this.repository.load(name);
      const info = await this.worker.request('showContainer', { name }).catch(() => null);
      if (info) container.created(info.ipv4);
      else container.creationFailed('the Manager stopped while the container was being created');
      await this.repository.save(container, 'manager');
    }
  }
}
