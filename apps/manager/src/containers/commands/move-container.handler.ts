import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { chooseNode, ensureSeparate } from '@testausdeploy/domain';
import { NodeCapacities } from '../../nodes/node-capacities';
import { NodeCandidates } from '../../placement/node-candidates';
import { ContainerDirectory } from '../container-directory';
import { ContainerLocks } from '../container-locks';
import { ContainerMoves } from '../container-moves';
import { ContainerProgress } from '../container-progress';
import { ContainerRepository } from '../container.repository';
import { MoveContainerCommand } from './move-container.command';

/**
 * Moves a container, one change of it like the others (under its lock, checked first): the new node must take
 * containers (named by an admin, so only draining, a `projects-only` label or no storage pool refuse it), both
 * Workers must answer, and they must not keep containers in one LXD project. The move is recorded as started before the Workers act, so that one cut short by a
 * stop is undone later (UnfinishedContainers); as done once the container runs on the new node; and as finished
 * once what is left on the old one is removed, then or when that node connects again. Its progress lines are the container's last operation.
 */
@CommandHandler(MoveContainerCommand)
export class MoveContainerHandler implements ICommandHandler<MoveContainerCommand> {
  constructor(
    private readonly repository: ContainerRepository,
    private readonly directory: ContainerDirectory,
    private readonly locks: ContainerLocks,
    private readonly candidates: NodeCandidates,
    private readonly moves: ContainerMoves,
    private readonly progress: ContainerProgress,
    private readonly capacities: NodeCapacities,
  ) {}

  async execute({ name, node, caller }: MoveContainerCommand) {
    const { actor } = caller;
    const container = await this.repository.loadFor(name, caller);
    return this.progress.track(container, `move to ${node}`, (log) =>
      this.locks.run(name, async () => {
        const current = await this.repository.loadFor(name, caller);
        const from = current.ensureMovable(node);
        const estimateBytes = this.candidates.estimateBytes;
        chooseNode(await this.candidates.all(), { kind: 'container', node, estimateBytes });
        this.moves.ensureReachable(from, node);
        ensureSeparate('container', from, node, (name) => this.capacities.of(name)?.containerHost);
        const move = current.startMove(node, this.moves.newBackupName());
        await this.repository.save(current, actor);
        const info = await this.moves.carry(name, move, log).catch(async (error: Error) => {
          current.moveAbandoned(error.message);
          await this.repository.save(current, actor);
          throw error;
        });
        current.moved(info.ipv4, `moved from ${from} by ${actor}`);
        await this.repository.save(current, actor);
        await this.moves.clearAfter(name, move, node, log).then(
          async () => {
            current.moveFinished();
            await this.repository.save(current, actor);
          },
          (error: Error) =>
            log(`its old copy on ${from} is not removed yet (${error.message}): it is when ${from} connects`),
        );
        return this.directory.find(name);
      }),
    );
  }
}
