import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { chooseNode, Conflict, ensureSeparate } from '@testausdeploy/domain';
import { RequestDeploymentCommand } from '../../deployments/commands/request-deployment.command';
import { newestDeployment } from '../../deployments/newest-deployment';
import { ReadModels } from '../../events/read-models';
import { NodeCapacities } from '../../nodes/node-capacities';
import { NodeConnections } from '../../nodes/node-connections';
import { NodeCandidates } from '../node-candidates';
import { ProjectPlacements } from '../project-placements';
import { MoveProjectCommand } from './move-project.command';

/**
 * Checks a move before anything is recorded: the project runs (its newest deployment succeeded) on a node that
 * answers, since it is removed there at the end; the new node could take it if named for a new project, and
 * runs another Docker engine (one engine would hold both copies under one compose name). Then
 * requests the deployment that carries the move out, of the same source as the running one.
 */
@CommandHandler(MoveProjectCommand)
export class MoveProjectHandler implements ICommandHandler<MoveProjectCommand> {
  constructor(
    private readonly placements: ProjectPlacements,
    private readonly candidates: NodeCandidates,
    private readonly connections: NodeConnections,
    private readonly capacities: NodeCapacities,
    private readonly readModels: ReadModels,
    private readonly commands: CommandBus,
  ) {}

  async execute({ org, repo, node, actor }: MoveProjectCommand): Promise<{ deploymentId: string }> {
    const from = await this.placements.nodeOf(org, repo);
    if (!from) throw new Conflict(`${org}/${repo} runs on no node yet: deploy it first`);
    if (from === node) throw new Conflict(`${org}/${repo} runs on ${node} already`);
    const estimateBytes = this.candidates.estimateBytes;
    chooseNode(await this.candidates.all(), { kind: 'project', node, estimateBytes });
    this.connections.workerOn(from);
    ensureSeparate('project', from, node, (name) => this.capacities.of(name)?.dockerEngine);
    const newest = await newestDeployment(this.readModels, org, repo);
    if (newest?.status !== 'succeeded') {
      throw new Conflict(
        `only a project that runs moves: the newest deployment of ${org}/${repo} is ${newest?.status ?? 'none'}`,
      );
    }
    const { branch, composePath } = newest;
    return this.commands.execute(
      new RequestDeploymentCommand({ org, repo, branch, composePath }, actor, null, {}, node),
    );
  }
}
