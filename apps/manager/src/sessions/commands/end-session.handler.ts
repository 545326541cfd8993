import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { SessionRepository } from '../session.repository';
import { EndSessionCommand } from './end-session.command';

/** Records the end of a session once; ending one already ended changes nothing. */
@CommandHandler(EndSessionCommand)
export class EndSessionHandler implements ICommandHandler<EndSessionCommand> {
  constructor(private readonly repository: SessionRepository) {}

  async execute({ sessionId, reason, actor }: EndSessionCommand): Promise<void> {
    const session = await this.repository.load(sessionId);
    const ended = reason === 'signed-out' ? session.signOut() : session.expire();
    if (ended) await this.repository.save(session, actor);
  }
}
