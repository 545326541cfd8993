import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ContainerDirectory } from '../container-directory';
import { ListContainersQuery } from './list-containers.query';

@QueryHandler(ListContainersQuery)
export class ListContainersHandler implements IQueryHandler<ListContainersQuery> {
  constructor(private readonly directory: ContainerDirectory) {}

  execute({ caller, owner, asOfPosition }: ListContainersQuery) {
    if (caller.role !== 'admin') return this.directory.list({ ownerId: caller.memberId ?? '' }, asOfPosition);
    return this.directory.list(owner ? { owner } : {}, asOfPosition);
  }
}
