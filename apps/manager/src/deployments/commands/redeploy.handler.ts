import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DeploymentRepository } from '../deployment.repository';
import { RedeployCommand } from './redeploy.command';
import { RequestDeploymentCommand } from './request-deployment.command';

/** A redeploy is a new request for the same source, checked like any other (allow-list included). */
@CommandHandler(RedeployCommand)
export class RedeployHandler implements ICommandHandler<RedeployCommand> {
  constructor(
    private readonly repository: DeploymentRepository,
    private readonly commands: CommandBus,
  ) {}

  async execute({ deploymentId, actor }: RedeployCommand): Promise<{ deploymentId: string }> {
    const { source } = await this.repository.load(deploymentId);
    return this.commands.execute(new RequestDeploymentCommand(source, actor, null));
  }
}
