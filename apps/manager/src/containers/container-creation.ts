import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  chooseNode,
  Conflict,
  ContainerSpec,
  Forbidden,
  NotFound,
  Placement,
  RestoredFrom,
} from '@testausdeploy/domain';
import { ContainerInfo } from '@testausdeploy/icp';
import { ManagerConfig } from '../config/manager-config';
import { MemberDirectory } from '../members/member-directory';
import { NodeCandidates } from '../placement/node-candidates';
import { PlacementWish } from '../placement/project-placements';
import { ContainerDirectory } from './container-directory';
import { ContainerProgress } from './container-progress';
import { checkQuota } from './container-quota';
import { ContainerRepository } from './container.repository';

export interface NewContainer {
  name: string;
  owner: string;
  /** The id the owner must still have: a restored backup goes only to the member who owned it. */
  ownerId?: string;
  spec: ContainerSpec;
  restoredFrom?: RestoredFrom;
  /** What the request asks of its node (a new container)... */
  wish?: PlacementWish;
  /** ...or the node it must go to (a restore: where its backup is), decided once the request is recorded. */
  placement?: () => Placement;
}

/**
 * Making a container, from scratch or from a backup: checks the owner's quota and the limits, takes the
 * lowest free SSH port, places it on a node and records the request (one at a time, so two requests never get
 * the same port), then has that node's Worker make it and records how that went. A failure leaves a `failed` container, not a
 * half-made one, and the caller gets the reason.
 */
@Injectable()
export class ContainerCreation {
  private reserving: Promise<unknown> = Promise.resolve();
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly config: ManagerConfig,
    private readonly repository: ContainerRepository,
    private readonly directory: ContainerDirectory,
    private readonly members: MemberDirectory,
    private readonly progress: ContainerProgress,
    private readonly candidates: NodeCandidates,
  ) {}

  /** Whether this process is creating the container now. */
  running(name: string): boolean {
    return this.inFlight.has(name);
  }

  async create(
    request: NewContainer,
    actor: string,
    /** Has the Worker of `node` make it. */
    make: (sshPort: number, onProgress: (line: string) => void, node: string) => Promise<ContainerInfo>,
  ) {
    const { container, sshPort } = await this.reserve(request, actor);
    const operation = request.restoredFrom
      ? `restoreBackup ${request.restoredFrom.backup}`
      : 'createContainer';
    try {
      // Placed once recorded: a request no node can take ends `failed`, with the reason, as one the Worker refuses.
      const placement = request.placement ? request.placement() : await this.place(request.wish ?? {});
      container.place(placement);
      await this.repository.save(container, actor);
      const info = await this.progress.track(container, operation, (onProgress) =>
        make(sshPort, onProgress, placement.node),
      );
      container.created(info.ipv4);
    } catch (error) {
      container.creationFailed((error as Error).message);
      throw error;
    } finally {
      try {
        await this.repository.save(container, actor);
      } finally {
        // Unsaved, it stays "creating" and is settled as unfinished once no longer in flight.
        this.inFlight.delete(request.name);
      }
    }
    return this.directory.find(request.name);
  }

  private reserve(request: NewContainer, actor: string) {
    const run = this.reserving.then(async () => {
      const ownerId = await this.check(request);
      const container = await this.repository.load(request.name);
      const sshPort = await this.freeSshPort();
      container.request({
        owner: request.owner,
        ownerId,
        incarnation: randomUUID(),
        ...request.spec,
        sshPort,
        ...(request.restoredFrom && { restoredFrom: request.restoredFrom }),
      });
      await this.repository.save(container, actor);
      this.inFlight.add(request.name);
      return { container, sshPort };
    });
    this.reserving = run.catch(() => undefined);
    return run;
  }

  /** The owner's member id, once the owner, the limits and their quota allow the container. */
  private async check({ owner, ownerId, spec: { limits } }: NewContainer): Promise<string> {
    const member = await this.members.find(owner);
    if (!member) throw new NotFound(`member "${owner}" does not exist`);
    if (ownerId && member.memberId !== ownerId) {
      throw new Conflict(
        `the backup's owner "${owner}" was removed; a member of that name now is someone else`,
      );
    }
    checkQuota(limits, this.config);
    const owned = (await this.directory.live()).filter((view) => view.ownerId === member.memberId).length;
    if (owned >= this.config.MEMBER_MAX_CONTAINERS) {
      throw new Forbidden(`member "${owner}" already has ${owned} containers, the most allowed`);
    }
    return member.memberId;
  }

  /** The node a new container goes to (docs/scaling.md, "Placement"). */
  private async place(wish: PlacementWish): Promise<Placement> {
    return chooseNode(await this.candidates.all(), {
      kind: 'container',
      ...wish,
      estimateBytes: this.candidates.estimateBytes,
    });
  }

  private async freeSshPort(): Promise<number> {
    const taken = new Set((await this.directory.live()).map((view) => view.sshPort));
    const { from, to } = this.config.CONTAINER_SSH_PORTS;
    for (let port = from; port <= to; port++) if (!taken.has(port)) return port;
    throw new Conflict(`every SSH port in ${from}-${to} is taken`);
  }
}
