import { LxdError } from './lxd-error';
import type { LxdRequest, LxdSocket } from './lxd-socket';
import type { LxdOperation } from './lxd-types';

/** How long a background operation is waited for unless the caller says otherwise. */
export const DEFAULT_OPERATION_TIMEOUT_SECONDS = 600;

/**
 * LXD's background operations, waited on in this one place. LXD accepts some requests before checking them
 * (creating an instance whose name exists answers 202), so a finished operation's status is always checked.
 */
export class LxdOperations {
  constructor(private readonly socket: LxdSocket) {}

  /**
   * Sends a request that LXD may run in the background and returns the metadata of the finished operation
   * (or of the synchronous answer). Throws LxdError when the request or the operation failed.
   */
  async run<M>(request: LxdRequest, timeoutSeconds = DEFAULT_OPERATION_TIMEOUT_SECONDS): Promise<M> {
    const response = await this.socket.call<LxdOperation<M> | M>(request);
    if (response.type !== 'async') return response.metadata as M;
    const operation = await this.wait<M>((response.metadata as LxdOperation<M>).id, timeoutSeconds);
    return operation.metadata;
  }

  /** The operation once it has finished; LxdError unless it succeeded. */
  async wait<M>(id: string, timeoutSeconds = DEFAULT_OPERATION_TIMEOUT_SECONDS): Promise<LxdOperation<M>> {
    const operation = await this.socket.sync<LxdOperation<M>>({
      path: `/1.0/operations/${encodeURIComponent(id)}/wait?timeout=${Math.max(1, Math.ceil(timeoutSeconds))}`,
    });
    if (operation.status_code < 200) {
      throw new LxdError(`${operation.description} did not finish within ${timeoutSeconds}s`, 504, id);
    }
    if (operation.status_code !== 200) {
      throw new LxdError(
        operation.err || `${operation.description}: ${operation.status}`,
        operation.status_code,
        id,
      );
    }
    return operation;
  }

  get(id: string): Promise<LxdOperation> {
    return this.socket.sync({ path: `/1.0/operations/${encodeURIComponent(id)}` });
  }

  async cancel(id: string): Promise<void> {
    await this.socket.call({ method: 'DELETE', path: `/1.0/operations/${encodeURIComponent(id)}` });
  }
}
