import { Global, Module } from '@nestjs/common';
import { EndSessionHandler } from './commands/end-session.handler';
import { SignInHandler } from './commands/sign-in.handler';
import { SessionsProjection } from './projections/sessions.projection';
import { SessionController } from './session.controller';
import { SessionDirectory } from './session-directory';
import { SessionRepository } from './session.repository';
import { SessionSweep } from './session-sweep';

/** Dashboard sessions: an API token traded for a cookie, each session's start and end recorded as events. */
@Global()
@Module({
  controllers: [SessionController],
  providers: [
    SessionRepository,
    SessionDirectory,
    SessionsProjection,
    SignInHandler,
    EndSessionHandler,
    SessionSweep,
  ],
  exports: [SessionDirectory],
})
export class SessionsModule {}
