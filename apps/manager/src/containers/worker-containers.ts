import { Injectable } from '@nestjs/common';
import { Conflict, Forbidden, InvalidInput, NotFound, Unavailable } from '@testausdeploy/domain';
import { IcpCommand, IcpData, IcpError, IcpErrorCode, IcpResult } from '@testausdeploy/icp';
import { NodeConnections } from '../nodes/node-connections';

/** Creating, restoring and exporting take the longest: an image unpacked, a tarball written. */
const TIMEOUT_MS = 10 * 60_000;
/** A question the Worker answers from LXD's state at once (what a page shows). */
const QUESTION_TIMEOUT_MS = 10_000;

/** What the Worker's refusals mean to the caller of the REST API. */
const AS_DOMAIN_ERROR: Partial<Record<string, new (message: string) => Error>> = {
  [IcpErrorCode.InvalidData]: InvalidInput,
  [IcpErrorCode.Forbidden]: InvalidInput,
  [IcpErrorCode.QuotaExceeded]: Forbidden,
  [IcpErrorCode.NotFound]: NotFound,
  [IcpErrorCode.Conflict]: Conflict,
};

/**
 * The Worker's container commands, with its refusals turned into the API's errors in one place: a bad key or
 * unknown image is the caller's 400, a missing snapshot a 404, no Worker enrolled a 409 (until an admin enrols
 * one), anything else (not connected, LXD failing) a 503.
 */
@Injectable()
export class WorkerContainers {
  constructor(private readonly nodes: NodeConnections) {}

  request<C extends IcpCommand>(
    command: C,
    data: IcpData<C>,
    onProgress?: (line: string) => void,
  ): Promise<IcpResult<C>> {
    return this.call(command, data, { timeoutMs: TIMEOUT_MS, onProgress });
  }

  /** A question answered at once (state, the images): a Worker that does not answer in 10 s is a 503. */
  ask<C extends IcpCommand>(command: C, data: IcpData<C>): Promise<IcpResult<C>> {
    return this.call(command, data, { timeoutMs: QUESTION_TIMEOUT_MS });
  }

  private async call<C extends IcpCommand>(
    command: C,
    data: IcpData<C>,
    options: { timeoutMs: number; onProgress?: (line: string) => void },
  ): Promise<IcpResult<C>> {
    const worker = this.nodes.worker();
    try {
      return await worker.request(command, data, options);
    } catch (error) {
      const Mapped = error instanceof IcpError ? AS_DOMAIN_ERROR[error.code] : undefined;
      if (Mapped) throw new Mapped((error as Error).message);
      throw new Unavailable(`the Worker could not ${command}: ${(error as Error).message}`);
    }
  }
}
