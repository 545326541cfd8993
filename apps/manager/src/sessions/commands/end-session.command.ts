/** Ends a session: its holder signed out, or it reached its expiry. */
export class EndSessionCommand {
  constructor(
    readonly sessionId: string,
    readonly reason: 'signed-out' | 'expired',
    readonly actor: string,
  ) {}
}
