import { Module } from '@nestjs/common';
import Dockerode from 'dockerode';
import { WorkerConfig } from '../config/worker-config';
import { ComposeCli } from './compose-cli';
import { DeployHandler } from './deploy.handler';
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
        }),
    },
    { provide: ComposeCli, useFactory: () => new ComposeCli() },
    { provide: ProjectContainers, useFactory: () => new ProjectContainers(new Dockerode()) },
    DeployHandler,
  ],
  exports: [DeployHandler],
})
export class DeployModule {}
