/**
 * What LXD refused or failed to do, with LXD's own message. `status` is the HTTP status of a refused request
 * (404 for an unknown instance or image), or the status code of a background operation that failed (400 for
 * a failure, 401 when cancelled), or 504 when an operation did not finish within our wait.
 */
export class LxdError extends Error {
  override readonly name = 'LxdError';

  constructor(
    message: string,
    readonly status: number,
    /** The background operation that failed, when the error came from one. */
    readonly operationId?: string,
  ) {
    super(message);
  }
}
