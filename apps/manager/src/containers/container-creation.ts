import { Injectable } from '@nestjs/common';
import { Conflict, ContainerSpec, Forbidden, NotFound } from '@testausdeploy/domain';
import { ContainerInfo } from '@testausdeploy/icp';
import { ManagerConfig } from '../config/manager-config';
import { MemberDirectory } from '../members/member-directory';
import { ContainerDirectory } from './container-directory';
import { ContainerProgress } from './container-progress';
import { checkQuota } from './container-quota';
import { ContainerRepository } from './container.repository';

export interface NewContainer {
  name: string;
  owner: string;
  spec: ContainerSpec;
  restoredFrom?: { name: string; backup: string };
}

/**
 * Making a container, from scratch or from a backup: checks the owner's quota and the limits, takes the
 * lowest free SSH port and records the request (one at a time, so two requests never get the same port),
 * then has the Worker make it and records how that went. A failure leaves a `failed` container, not a
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
  ) {}

  /** Whether this process is creating the container now. */
  running(name: string): boolean {
    return this.inFlight.has(name);
  }

  async create(
    request: NewContainer,
    actor: string,
    make: (sshPort: number, onProgress: (line: string) => void) => Promise<ContainerInfo>,
  ) {
    const { container, sshPort } = await this.reserve(request, actor);
    const operation = request.restoredFrom
      ? `restoreBackup ${request.restoredFrom.backup}`
      : 'createContainer';
    try {
      const info = await this.progress.track(request.name, operation, (onProgress) =>
        make(sshPort, onProgress),
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
      await this.check(request);
      const container = await this.repository.load(request.name);
      const sshPort = await this.freeSshPort();
      container.request({
        owner: request.owner,
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

  private async check({ owner, spec: { limits } }: NewContainer): Promise<void> {
    if (!(await this.members.find(owner))) throw new NotFound(`member "${owner}" does not exist`);
    checkQuota(limits, this.config);
    const owned = (await this.directory.live()).filter((view) => view.owner === owner).length;
    if (owned >= this.config.MEMBER_MAX_CONTAINERS) {
      throw new Forbidden(`member "${owner}" already has ${owned} containers, the most allowed`);
    }
  }

  private async freeSshPort(): Promise<number> {
    const taken = new Set((await this.directory.live()).map((view) => view.sshPort));
    const { from, to } = this.config.CONTAINER_SSH_PORTS;
    for (let port = from; port <= to; port++) if (!taken.has(port)) return port;
    throw new Conflict(`every SSH port in ${from}-${to} is taken`);
  }
}
