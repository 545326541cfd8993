import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ClearConfigurationCommand } from '../../configuration/commands/clear-configuration.command';
import { RemoveProjectDeploymentsCommand } from '../../deployments/commands/remove-project-deployments.command';
import { DataKeys } from '../../keys/data-keys';
import { keyScope } from '../../keys/key-scope';
import { RemoveProjectChannelsCommand } from '../../notifications/commands/remove-project-channels.command';
import { ClearRoutesCommand } from '../../routes/commands/clear-routes.command';
import { ProjectMoves } from '../../placement/project-moves';
import { ProjectRemovals } from '../project-removals';
import { ProjectRepository } from '../project.repository';
import { RemoveProjectCommand } from './remove-project.command';

/**
 * Removes a project, each part by the module that owns it, in an order that can be taken up again: the Workers'
 * part first, where a move left an old copy and where it runs (refused, with nothing changed, while it is being deployed or when the Worker cannot do it), then
 * its channels, its configuration, its routes, its data key (destroyed: what it sealed, in the log and in every copy of the
 * database, can never be opened again), and last the project with its roles. Every step is a no-op when done, so
 * a removal that stopped half-way is finished by asking again.
 */
@CommandHandler(RemoveProjectCommand)
export class RemoveProjectHandler implements ICommandHandler<RemoveProjectCommand> {
  constructor(
    private readonly commands: CommandBus,
    private readonly keys: DataKeys,
    private readonly projects: ProjectRepository,
    private readonly removals: ProjectRemovals,
    private readonly moves: ProjectMoves,
  ) {}

  execute({ org, repo, actor }: RemoveProjectCommand): Promise<void> {
    // Nothing new starts on it meanwhile: a deploy, a rollback, a variable or a channel would outlive it.
    return this.removals.run(org, repo, async () => {
      await this.moves.removeLeftOvers(org, repo, actor);
      await this.commands.execute(new RemoveProjectDeploymentsCommand(org, repo, actor));
      await this.commands.execute(new RemoveProjectChannelsCommand(org, repo, actor));
      await this.commands.execute(new ClearConfigurationCommand(org, repo, actor));
      await this.commands.execute(new ClearRoutesCommand(org, repo, actor));
      await this.keys.destroy(keyScope({ org, repo }), `project ${org}/${repo} removed`, actor);
      const project = await this.projects.load(org, repo);
      project.remove();
      await this.projects.save(project, actor);
    });
  }
}
