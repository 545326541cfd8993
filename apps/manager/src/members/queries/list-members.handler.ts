import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { MemberDirectory } from '../member-directory';
import { publicMember } from '../projections/member-view';
import { ListMembersQuery } from './list-members.query';

@QueryHandler(ListMembersQuery)
export class ListMembersHandler implements IQueryHandler<ListMembersQuery> {
  constructor(private readonly directory: MemberDirectory) {}

  async execute() {
    return (await this.directory.all()).map(publicMember);
  }
}
