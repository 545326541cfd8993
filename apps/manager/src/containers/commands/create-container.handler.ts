import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Forbidden } from '@testausdeploy/domain';
import { ManagerConfig } from '../../config/manager-config';
import { ContainerCreation } from '../container-creation';
import { WorkerContainers } from '../worker-containers';
import { CreateContainerCommand } from './create-container.command';

/** A member's new container; an admin names whose it is. */
@CommandHandler(CreateContainerCommand)
export class CreateContainerHandler implements ICommandHandler<CreateContainerCommand> {
  constructor(
    private readonly config: ManagerConfig,
    private readonly creation: ContainerCreation,
    private readonly worker: WorkerContainers,
  ) {}

  async execute({ body, caller }: CreateContainerCommand) {
    const admin = caller.role === 'admin';
    const owner = body.owner ?? caller.member;
    if (!owner) {
      throw new Forbidden(
        'the admin token owns no containers: name the member it is for, { "owner": "<member>" }',
      );
    }
    if (!admin && owner !== caller.member)
      throw new Forbidden('a member can create only their own containers');
    if (body.nesting && !admin) throw new Forbidden('only an admin can allow nesting');
    if (body.user && body.user !== owner && !admin) {
      throw new Forbidden(
        `your user inside the container is "${owner}", your member name; only an admin can choose another`,
      );
    }
    const spec = {
      image: body.image ?? this.config.CONTAINER_IMAGE,
      limits: body.limits,
      user: body.user ?? owner,
      sshKeys: body.sshKeys,
      nesting: body.nesting,
    };
    if (body.node !== undefined && !admin) throw new Forbidden('only an admin can name the node');
    const wish = { node: body.node, labels: body.labels };
    return this.creation.create(
      { name: body.name, owner, spec, wish },
      caller.actor,
      (sshPort, onProgress, node) =>
        this.worker.request('createContainer', { name: body.name, ...spec, sshPort }, { node, onProgress }),
    );
  }
}
