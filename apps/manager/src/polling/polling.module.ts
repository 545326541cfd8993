import { Module } from '@nestjs/common';
import { BranchFollower } from './branch-follower';
import { RepositoryPoller } from './repository-poller';
import { WatchedSources } from './watched-sources';
import { WebhookDeliveries } from './webhook-deliveries';
import { WebhooksController } from './webhooks.controller';

/** Follows deployed branches, by polling and by push webhooks: a new commit on one is deployed. */
@Module({
  controllers: [WebhooksController],
  providers: [WatchedSources, BranchFollower, RepositoryPoller, WebhookDeliveries],
})
export class PollingModule {}
