import { Injectable } from '@nestjs/common';
import { MemberContainer } from '@testausdeploy/domain';
import { Caller } from '../auth/caller';
import { ContainerDirectory } from './container-directory';
import { ContainerLocks } from './container-locks';
import { ContainerRepository } from './container.repository';
import { ContainerView } from './projections/container-view';

export interface ChangeSteps<T> {
  /** What the aggregate (and the quotas) must allow first: nothing is asked of the Worker otherwise. */
  check(container: MemberContainer): void | Promise<void>;
  /** The Worker's part. */
  work(container: MemberContainer): Promise<T>;
  /** What to record once the Worker has done it. */
  record(container: MemberContainer, result: T): void;
}

/**
 * The shape of every change to an existing container: the caller must own it (or be an admin), the aggregate
 * must allow the change, the Worker carries it out, and only then is it recorded, in the caller's name. A
 * refused or failed change records nothing. Changes of one container run one at a time.
 */
@Injectable()
export class ContainerChange {
  constructor(
    private readonly repository: ContainerRepository,
    private readonly directory: ContainerDirectory,
    private readonly locks: ContainerLocks,
  ) {}

  run<T>(name: string, caller: Caller, steps: ChangeSteps<T>): Promise<ContainerView> {
    return this.locks.run(name, async () => {
      const container = await this.repository.loadFor(name, caller);
      await steps.check(container);
      steps.record(container, await steps.work(container));
      await this.repository.save(container, caller.actor);
      return (await this.directory.find(name)) as ContainerView;
    });
  }
}
