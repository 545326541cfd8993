import { Module } from '@nestjs/common';
import Dockerode from 'dockerode';
import { WorkerConfig } from '../config/worker-config';
import { isAbsolute, join } from 'node:path';
import { ComposeCli } from './compose-cli';
import { ComposeSandbox, dockerSocketPath } from './compose-sandbox';
import { ContainerLogs } from './container-logs';
import { ContainerLogsHandler } from './container-logs.handler';
import { ComposeGate } from './policy/compose-gate';
import { DeployHandler } from './deploy.handler';
import { HeadHandler } from './head.handler';
import { LifecycleHandler } from './lifecycle.handler';
import { UsageHandler } from './usage.handler';
import { WorkerAllowList } from './worker-allow-list';
import { GitRepositories } from './git-repositories';
import { ProjectCapacity } from './project-capacity';
import { ProjectContainers } from './project-containers';
import { bytes } from './policy/units';
import { ProjectCheckouts } from './workspace/project-checkouts';
import { ProjectData } from './workspace/project-data';
import { ProjectLocks } from './workspace/project-locks';
import { AppsNetwork } from './routes/apps-network';
import { LiveSlot } from './handover/live-slot';
import { ProjectSlots } from './handover/project-slots';
import { RetireHandler } from './handover/retire.handler';

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
    {
      provide: ComposeCli,
      inject: [WorkerConfig],
      useFactory: (config: WorkerConfig) => {
        const command = config.COMPOSE_COMMAND.split(' ').filter(Boolean);
        const sandbox = new ComposeSandbox({
          dockerSocket: dockerSocketPath(),
          scratchDir: join(config.node.stateDir, 'sandbox'),
          programs: command.filter((part) => isAbsolute(part) && !part.startsWith('/usr/')),
        });
        return new ComposeCli({ sandbox, ...(command.length > 0 && { command }) });
      },
    },
    {
      provide: ComposeGate,
      inject: [ComposeCli, WorkerConfig],
      useFactory: (compose: ComposeCli, config: WorkerConfig) =>
        new ComposeGate(compose, {
          ports: config.PUBLISHED_PORTS,
          limits: { memory: config.DEFAULT_MEMORY, cpus: config.DEFAULT_CPUS, pids: config.DEFAULT_PIDS },
          caps: {
            memoryBytes: Number(bytes(config.MAX_MEMORY)),
            cpus: config.MAX_CPUS,
            pids: config.MAX_PIDS,
            replicas: config.MAX_REPLICAS,
          },
          dir: join(config.node.stateDir, 'projects'),
          appsNetwork: config.APPS_NETWORK,
        }),
    },
    {
      provide: ProjectCheckouts,
      inject: [WorkerConfig, GitRepositories],
      useFactory: (config: WorkerConfig, git: GitRepositories) =>
        new ProjectCheckouts(config.CHECKOUTS_DIR, git),
    },
    {
      provide: ProjectData,
      inject: [WorkerConfig],
      useFactory: (config: WorkerConfig) => new ProjectData(config.DATA_DIR),
    },
    { provide: Dockerode, useFactory: () => new Dockerode() },
    {
      provide: ProjectContainers,
      inject: [Dockerode],
      useFactory: (docker: Dockerode) => new ProjectContainers(docker),
    },
    {
      provide: ProjectCapacity,
      inject: [Dockerode],
      useFactory: (docker: Dockerode) => new ProjectCapacity(docker),
    },
    {
      provide: ContainerLogs,
      inject: [Dockerode],
      useFactory: (docker: Dockerode) => new ContainerLogs(docker),
    },
    {
      provide: AppsNetwork,
      inject: [Dockerode, WorkerConfig],
      useFactory: (docker: Dockerode, config: WorkerConfig) =>
        new AppsNetwork(docker, config.APPS_NETWORK, config.APPS_SUBNET),
    },
    {
      provide: ProjectSlots,
      inject: [WorkerConfig],
      useFactory: (config: WorkerConfig) => new ProjectSlots(join(config.node.stateDir, 'projects')),
    },
    LiveSlot,
    WorkerAllowList,
    ProjectLocks,
    RetireHandler,
    DeployHandler,
    LifecycleHandler,
    HeadHandler,
    UsageHandler,
    ContainerLogsHandler,
  ],
  exports: [
    DeployHandler,
    LifecycleHandler,
    HeadHandler,
    UsageHandler,
    ContainerLogsHandler,
    RetireHandler,
    ProjectCapacity,
  ],
})
export class DeployModule {}
