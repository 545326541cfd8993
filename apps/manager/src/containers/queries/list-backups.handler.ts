import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ContainerDirectory } from '../container-directory';
import { ListBackupsQuery } from './list-backups.query';

@QueryHandler(ListBackupsQuery)
export class ListBackupsHandler implements IQueryHandler<ListBackupsQuery> {
  constructor(private readonly directory: ContainerDirectory) {}

  async execute({ caller, owner }: ListBackupsQuery) {
    if (caller.role !== 'admin') {
      if (!caller.memberId) throw new Error('a member without a member id');
      return this.directory.backups(caller.memberId);
    }
    const all = await this.directory.backups();
    return owner ? all.filter((backup) => backup.owner === owner) : all;
  }
}
