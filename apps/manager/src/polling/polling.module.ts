import { Module } from '@nestjs/common';
import { RepositoryPoller } from './repository-poller';

/** Follows deployed branches: a new commit on one is deployed. */
@Module({ providers: [RepositoryPoller] })
export class PollingModule {}
