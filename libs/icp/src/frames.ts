import { z } from 'zod';

/**
 * Wire format: every frame is JSON `{ id, command, data }`. A request names a command from `icpCommands`;
 * answers reuse the same shape with the reserved commands below and the request's id. See docs/icp.md.
 */
export const REPLY = 'reply';
export const ERROR = 'error';
export const PROGRESS = 'progress';
/** Client → server: the request with this frame's id is no longer wanted (see docs/icp.md, Cancelling). */
export const CANCEL = 'cancel';
/** Server → client, first frame of every connection: the nonce to sign. */
export const CHALLENGE = 'challenge';
/** Client → server, the answer to the challenge; no other request is served before it succeeds. */
export const AUTHENTICATE = 'authenticate';

export const MAX_FRAME_BYTES = 1024 * 1024;
/** The longest progress line sent: a longer one is cut, and says how much of it was left out. */
export const MAX_PROGRESS_LINE = 16 * 1024;

export interface Frame {
  /** 1-64 characters; null only on frames that answer no request. */
  id: string | null;
  /** 1-64 characters. */
  command: string;
  data?: unknown;
}

const isName = (value: unknown) => typeof value === 'string' && value.length > 0 && value.length <= 64;

/**
 * Checks the envelope of every frame, both ways. Hand-written rather than a schema: it runs on every frame of
 * every session, and the command's own schema then checks `data`.
 */
export function asFrame(json: unknown): Frame | null {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const { id, command } = json as Record<string, unknown>;
  if (!(id === null || isName(id)) || !isName(command)) return null;
  return json as Frame;
}

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
  /** What the request names does not exist on the node (a container, snapshot or backup). */
  NotFound: 'not_found',
  /** The request clashes with what exists (a name or host port already taken). */
  Conflict: 'conflict',
  /** The request would go over a quota or the room the node keeps free (the backup directory's). */
  QuotaExceeded: 'quota_exceeded',
  /** The deployment ran but its containers did not become healthy (the Manager rolls it back). */
  Unhealthy: 'unhealthy',
  /** The authentication frame was missing, malformed, or its signature did not verify. */
  Unauthenticated: 'unauthenticated',
  /** A request reused the id of an earlier request for a different command. */
  DuplicateId: 'duplicate_id',
  /** The client cancelled the request and the command stopped short (also raised by the client at once). */
  Cancelled: 'cancelled',
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
