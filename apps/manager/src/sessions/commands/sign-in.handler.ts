import { randomUUID } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ManagerConfig } from '../../config/manager-config';
import { newSessionSecret } from '../session-cookie';
import { SessionRepository } from '../session.repository';
import { SignInCommand } from './sign-in.command';

/** Starts a session for a caller whose token was checked: answers the secret for the cookie, and its expiry. */
@CommandHandler(SignInCommand)
export class SignInHandler implements ICommandHandler<SignInCommand> {
  constructor(
    private readonly repository: SessionRepository,
    private readonly config: ManagerConfig,
  ) {}

  async execute({ caller, tokenExpiresAt }: SignInCommand): Promise<{ secret: string; expiresAt: Date }> {
    const session = await this.repository.load(randomUUID());
    const { secret, secretDigest } = newSessionSecret();
    const ttl = Date.now() + this.config.SESSION_TTL_MS;
    const expiresAt = new Date(Math.min(ttl, tokenExpiresAt?.getTime() ?? ttl));
    session.start(caller.actor, caller.memberId, secretDigest, expiresAt, caller.tokenId);
    await this.repository.save(session, caller.actor);
    return { secret, expiresAt };
  }
}
