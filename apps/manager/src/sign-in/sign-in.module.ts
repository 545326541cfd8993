import { Module } from '@nestjs/common';
import { ClientSecrets } from './client-secrets';
import { ExternalSignIn } from './external-sign-in';
import { GitHubAccounts } from './github-accounts';
import { OidcAccounts } from './oidc-accounts';
import { SignInController } from './sign-in.controller';
import { SignInFlows } from './sign-in-flows';
import { SignInRefusals } from './sign-in-refusals';

/** Signing in to the dashboard through GitHub or an OpenID Connect provider. */
@Module({
  controllers: [SignInController],
  providers: [ClientSecrets, SignInFlows, SignInRefusals, GitHubAccounts, OidcAccounts, ExternalSignIn],
})
export class SignInModule {}
