import { z } from 'zod';

/**
 * Wire format: every frame is JSON `{ id, command, data }`. A request names a command from `icpCommands`;
 * answers reuse the same shape with the reserved commands below and the request's id. See docs/icp.md.
 */
export const REPLY = 'reply';
export const ERROR = 'error';
export const PROGRESS = 'progress';

export const MAX_FRAME_BYTES = 1024 * 1024;

export const frame = z.object({
  id: z.string().min(1).max(64).nullable(),
  command: z.string().min(1).max(64),
  data: z.unknown(),
});
export type Frame = z.infer<typeof frame>;

export const errorData = z.object({ code: z.string(), message: z.string() });
export const progressData = z.object({ line: z.string() });

/** Error codes carried in `error` frames. */
export const IcpErrorCode = {
  MalformedFrame: 'malformed_frame',
  UnknownCommand: 'unknown_command',
  InvalidData: 'invalid_data',
  CommandFailed: 'command_failed',
  /** The node refuses the request by its own policy. */
  Forbidden: 'forbidden',
  /** Client side only: the peer was not connected, went away, or did not answer in time. */
  Unavailable: 'unavailable',
  ConnectionLost: 'connection_lost',
  Timeout: 'timeout',
} as const;

/** WebSocket close codes the servers use (4000-4999 is the range for applications). */
export const IcpCloseCode = {
  /** Another authenticated session is active; a server serves one at a time. */
  Busy: 4009,
  /** The server is shutting down. */
  GoingAway: 1001,
  /** A frame exceeded MAX_FRAME_BYTES (set by ws itself). */
  TooLarge: 1009,
} as const;

export class IcpError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
