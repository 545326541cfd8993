import { Command } from '@nestjs/cqrs';

/** A member (or an admin) revokes one of the member's named tokens. */
export class RevokeMemberTokenCommand extends Command<void> {
  constructor(
    readonly member: string,
    readonly tokenId: string,
    readonly actor: string,
  ) {
    super();
  }
}
