import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { chooseNode } from '@testausdeploy/domain';
import { NodeCandidates } from '../../placement/node-candidates';
import { ContainerChange } from '../container-change';
import { ContainerMoves } from '../container-moves';
import { ContainerProgress } from '../container-progress';
import { ContainerRepository } from '../container.repository';
import { MoveContainerCommand } from './move-container.command';

/**
 * Moves a container as one change of it: the new node must take containers (named by an admin, so only
 * draining, a `projects-only` label or no storage pool refuse it) and both Workers must answer. The move is
 * recorded once the container runs on the new node; what is left on the old one is removed after that. Its
 * progress lines are the container's last operation.
 */
@CommandHandler(MoveContainerCommand)
export class MoveContainerHandler implements ICommandHandler<MoveContainerCommand> {
  constructor(
    private readonly change: ContainerChange,
    private readonly repository: ContainerRepository,
    private readonly candidates: NodeCandidates,
    private readonly moves: ContainerMoves,
    private readonly progress: ContainerProgress,
  ) {}

  async execute({ name, node, caller }: MoveContainerCommand) {
    const container = await this.repository.loadFor(name, caller);
    return this.progress.track(container, `move to ${node}`, async (log) => {
      let carried: { from: string; key: string } | undefined;
      const view = await this.change.run(name, caller, {
        check: async (current) => {
          const from = current.ensureMovable(node);
          const estimateBytes = this.candidates.estimateBytes;
          chooseNode(await this.candidates.all(), { kind: 'container', node, estimateBytes });
          this.moves.ensureReachable(from, node);
        },
        work: async (current) => {
          const move = {
            name,
            from: current.node!,
            to: node,
            sshPort: await this.moves.sshPortOf(name),
            running: current.status === 'running',
          };
          const { info, key } = await this.moves.carry(move, log);
          carried = { from: move.from, key };
          return info;
        },
        record: (current, info) =>
          current.moved(node, info.ipv4, `moved from ${carried!.from} by ${caller.actor}`),
      });
      await this.moves.clearAfter(name, carried!.from, node, carried!.key, log);
      return view;
    });
  }
}
