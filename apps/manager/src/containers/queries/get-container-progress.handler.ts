import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NotFound } from '@testausdeploy/domain';
import { ContainerRepository } from '../container.repository';
import { ContainerProgress } from '../container-progress';
import { GetContainerProgressQuery } from './get-container-progress.query';

@QueryHandler(GetContainerProgressQuery)
export class GetContainerProgressHandler implements IQueryHandler<GetContainerProgressQuery> {
  constructor(
    private readonly repository: ContainerRepository,
    private readonly progress: ContainerProgress,
  ) {}

  async execute({ name, caller }: GetContainerProgressQuery) {
    const progress = this.progress.read(await this.repository.loadFor(name, caller));
    if (!progress) throw new NotFound(`no operation on container "${name}" since the Manager started`);
    return progress;
  }
}
