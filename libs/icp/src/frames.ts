import { z } from 'zod';

/**
 * Wire format: every frame is JSON `{ id, command, data }`. A request names a command from `icpCommands`;
 * answers reuse the same shape with the reserved commands below and the request's id. See docs/icp.md.
 */
export const REPLY = 'reply';
export const ERROR = 'error';
export const PROGRESS = 'progress';
/** Server → client, first frame of every connection: the nonce to sign. */
export const CHALLENGE = 'challenge';
/** Client → server, the answer to the challenge; no other request is served before it succeeds. */
export const AUTHENTICATE = 'authenticate';

export const MAX_FRAME_BYTES = 1024 * 1024;

export const frame = z.object({
  id: z.string().min(1).max(64).nullable(),
  command: z.string().min(1).max(64),
  data: z.unknown(),
});
export type Frame = z.infer<typeof frame>;

export const errorData = z.object({ code: z.string(), message: z.string() });
export const progressData = z.object({ line: z.string() });
export const challengeData = z.object({ nonce: z.string().min(16).max(128) });
export const authenticateData = z.object({ signature: z.string().min(1).max(512) }).strict();
export const authenticatedData = z.object({ heartbeatMs: z.number().int().positive() });

/** Error codes carried in `error` frames. */
export const IcpErrorCode = {
  MalformedFrame: 'malformed_frame',
  UnknownCommand: 'unknown_command',
  InvalidData: 'invalid_data',
  CommandFailed: 'command_failed',
  /** The node refuses the request by its own policy. */
  Forbidden: 'forbidden',
  /** The authentication frame was missing, malformed, or its signature did not verify. */
  Unauthenticated: 'unauthenticated',
  /** A request reused the id of an earlier request for a different command. */
  DuplicateId: 'duplicate_id',
  /** Client side only: the peer was not connected, went away, or did not answer in time. */
  Unavailable: 'unavailable',
  ConnectionLost: 'connection_lost',
  Timeout: 'timeout',
} as const;

/** WebSocket close codes the servers use (4000-4999 is the range for applications). */
export const IcpCloseCode = {
  /** The server is shutting down. */
  GoingAway: 1001,
  /** A frame exceeded MAX_FRAME_BYTES (set by ws itself). */
  TooLarge: 1009,
  /** Another peer's authenticated session is active and answers heartbeats. */
  Busy: 4009,
  /** This session was replaced by a newer authenticated session of the same peer. */
  Replaced: 4010,
  /** Authentication failed: no or a bad signature, or a request before authenticating. */
  Unauthenticated: 4401,
  /** No authentication within the time allowed. */
  AuthenticationTimeout: 4408,
} as const;

export class IcpError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
