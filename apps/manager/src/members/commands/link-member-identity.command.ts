import { Command } from '@nestjs/cqrs';
import { IdentityProvider } from '@testausdeploy/domain';

/** An admin links a member to an account of GitHub or the OIDC provider, by its login. */
export class LinkMemberIdentityCommand extends Command<{
  name: string;
  provider: IdentityProvider;
  login: string;
}> {
  constructor(
    readonly name: string,
    readonly provider: IdentityProvider,
    readonly login: string,
    readonly actor: string,
  ) {
    super();
  }
}
