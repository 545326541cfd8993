export class ListMembersQuery {}
