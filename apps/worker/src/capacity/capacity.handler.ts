import { Injectable } from '@nestjs/common';
import type { IcpResult } from '@testausdeploy/icp';
import { WorkerConfig } from '../config/worker-config';
import { ContainerCapacity } from '../containers/container-capacity';
import { ProjectCapacity } from '../deploy/project-capacity';
import { fileSystemSpace, hostCapacity } from './host-capacity';

/** ICP `capacity`: what the Manager places new deployments and member containers by, measured now. */
@Injectable()
export class CapacityHandler {
  constructor(
    private readonly config: WorkerConfig,
    private readonly projects: ProjectCapacity,
    private readonly containers: ContainerCapacity,
  ) {}

  async capacity(): Promise<IcpResult<'capacity'>> {
    const [host, repositories, projects, containers] = await Promise.all([
      hostCapacity(),
      fileSystemSpace(this.config.REPOS_DIR),
      this.projects.measure(),
      this.containers.measure(),
    ]);
    return { ...host, repositories, ...projects, ...containers };
  }
}
