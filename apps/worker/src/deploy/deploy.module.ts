import { Module } from '@nestjs/common';
import Dockerode from 'dockerode';
import { WorkerConfig } from '../config/worker-config';
import { join } from 'node:path';
import { ComposeCli } from './compose-cli';
import { ContainerLogs } from './container-logs';
import { ContainerLogsHandler } from './container-logs.handler';
import { ComposeGate } from './policy/compose-gate';
import { DeployHandler } from './deploy.handler';
import { HeadHandler } from './head.handler';
import { LifecycleHandler } from './lifecycle.handler';
import { UsageHandler } from './usage.handler';
import { WorkerAllowList } from './worker-allow-list';
import { GitRepositories } from './git-repositories';
import { ProjectContainers } from './project-containers';

@Module({
  providers: [
    {
      provide: GitRepositories,
      inject: [WorkerConfig],
      useFactory: (config: WorkerConfig) =>
        new GitRepositories({
          reposDir: config.REPOS_DIR,
          baseUrl: config.GIT_BASE_URL,
          orgBaseUrls: config.GIT_ORG_BASE_URLS,
          deployKeys: config.GIT_DEPLOY_KEYS,
          knownHostsFile: config.GIT_KNOWN_HOSTS,
        }),
    },
    { provide: ComposeCli, useFactory: () => new ComposeCli() },
    {
      provide: ComposeGate,
      inject: [ComposeCli, WorkerConfig],
      useFactory: (compose: ComposeCli, config: WorkerConfig) =>
        new ComposeGate(compose, {
          ports: config.PUBLISHED_PORTS,
          limits: { memory: config.DEFAULT_MEMORY, cpus: config.DEFAULT_CPUS, pids: config.DEFAULT_PIDS },
          dir: join(config.node.stateDir, 'projects'),
        }),
    },
    { provide: Dockerode, useFactory: () => new Dockerode() },
    {
      provide: ProjectContainers,
      inject: [Dockerode],
      useFactory: (docker: Dockerode) => new ProjectContainers(docker),
    },
    {
      provide: ContainerLogs,
      inject: [Dockerode],
      useFactory: (docker: Dockerode) => new ContainerLogs(docker),
    },
    WorkerAllowList,
    DeployHandler,
    LifecycleHandler,
    HeadHandler,
    UsageHandler,
    ContainerLogsHandler,
  ],
  exports: [DeployHandler, LifecycleHandler, HeadHandler, UsageHandler, ContainerLogsHandler],
})
export class DeployModule {}
