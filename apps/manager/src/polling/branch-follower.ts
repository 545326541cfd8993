import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { RequestDeploymentCommand } from '../deployments/commands/request-deployment.command';
import { DeploymentView } from '../deployments/projections/deployment-view';
import { sourceKey } from './watched-sources';

/**
 * Deploys a branch's new head: unless it is what runs, requests a deployment whose command id is the source
 * and the commit. The poller and the webhook share it, so a commit seen by both (or seen again after a
 * restart, or after failing once) is deployed once.
 */
@Injectable()
export class BranchFollower {
  constructor(private readonly commands: CommandBus) {}

  async follow(newest: DeploymentView, commit: string, actor: string): Promise<string | null> {
    // What runs, or what failed at this very commit (refused, or broken), is not deployed again: a new push is.
    if ((newest.status === 'succeeded' || newest.status === 'failed') && newest.commit === commit)
      return null;
    const { org, repo, branch, composePath } = newest;
    const commandId = `follow:${createHash('sha256').update(sourceKey(newest)).digest('hex').slice(0, 16)}:${commit}`;
    const { deploymentId } = await this.commands.execute(
      new RequestDeploymentCommand({ org, repo, branch, composePath }, actor, commandId),
    );
    return deploymentId;
  }
}
