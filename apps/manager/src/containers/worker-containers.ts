import { Injectable } from '@nestjs/common';
import { Conflict, Forbidden, InvalidInput, NotFound, Unavailable } from '@testausdeploy/domain';
import { IcpClient, IcpCommand, IcpData, IcpError, IcpErrorCode, IcpResult } from '@testausdeploy/icp';
import { NodeConnections } from '../nodes/node-connections';
import { ContainerRepository } from './container.repository';

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

/** Where a container command goes when the container's record does not say: a backup's node. */
export interface ContainerCallOptions {
  /** `null`: a backup from before placements were recorded. */
  node?: string | null;
  onProgress?: (line: string) => void;
}

/**
 * The Worker's container commands, sent to the node the container runs on (never another), with its refusals
 * turned into the API's errors in one place: a bad key or unknown image is the caller's 400, a missing snapshot
 * a 404, no Worker enrolled a 409 (until an admin enrols one), the node unreachable or anything else (LXD
 * failing) a 503.
 */
@Injectable()
export class WorkerContainers {
  constructor(
    private readonly nodes: NodeConnections,
    private readonly repository: ContainerRepository,
  ) {}

  request<C extends IcpCommand>(
    command: C,
    data: IcpData<C>,
    options: ContainerCallOptions = {},
  ): Promise<IcpResult<C>> {
    return this.call(command, data, { ...options, timeoutMs: TIMEOUT_MS });
  }

  /** A question answered at once (state, the images): a Worker that does not answer in 10 s is a 503. */
  ask<C extends IcpCommand>(command: C, data: IcpData<C>): Promise<IcpResult<C>> {
    return this.call(command, data, { timeoutMs: QUESTION_TIMEOUT_MS });
  }

  private async call<C extends IcpCommand>(
    command: C,
    data: IcpData<C>,
    { node, onProgress, timeoutMs }: ContainerCallOptions & { timeoutMs: number },
  ): Promise<IcpResult<C>> {
    const worker = await this.workerFor(data, node);
    try {
      return await worker.request(command, data, { timeoutMs, onProgress });
    } catch (error) {
      const Mapped = error instanceof IcpError ? AS_DOMAIN_ERROR[error.code] : undefined;
      if (Mapped) throw new Mapped((error as Error).message);
      throw new Unavailable(`the Worker could not ${command}: ${(error as Error).message}`);
    }
  }

  /**
   * The Worker of the node given, else of the container's own record (its stream, not a read model that may lag
   * behind a name used again); a command about no container (the images) goes to the first Worker that answers.
   * `null` is a backup or container from before placements were recorded: the one Worker there was then.
   */
  private async workerFor(data: object, node: string | null | undefined): Promise<IcpClient> {
    const name = 'name' in data ? String(data.name) : null;
    const on = node !== undefined ? node : name ? await this.nodeOf(name) : undefined;
    if (on) return this.nodes.workerOn(on);
    if (on === undefined) {
      const workers = this.nodes.ofKind('worker');
      if (workers.length === 0) throw new Conflict('no Worker is enrolled: enrol one with POST /nodes');
      return (workers.find(({ client }) => client.connected) ?? workers[0]).client;
    }
    return this.nodes.workerOn(this.legacyNode(name ?? 'the backup'));
  }

  /** The node of a container, or null where it has none (from before placements were recorded). */
  private async nodeOf(name: string): Promise<string | null | undefined> {
    const container = await this.repository.load(name);
    return container.status === null ? undefined : container.node;
  }

  /**
   * Where something from before placements were recorded is: on the one Worker there was then, found only while
   * there is still one (docs/scaling.md, "Upgrading from one node").
   */
  legacyNode(what: string): string {
    const workers = this.nodes.ofKind('worker');
    if (workers.length === 0) throw new Conflict('no Worker is enrolled: enrol one with POST /nodes');
    if (workers.length > 1) {
      throw new Conflict(
        `${what} was made before placements were recorded, and ${workers.length} Workers are enrolled: ` +
          'its node is not known (docs/scaling.md, "Upgrading from one node")',
      );
    }
    return workers[0].name;
  }
}
