import {
  BadRequestException,
  Body,
  Controller,
  Headers,
  HttpCode,
  HttpStatus,
  Post,
  RawBodyRequest,
  Req,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request } from 'express';
import { NotFound } from '@testausdeploy/domain';
import { Public } from '../auth/public.decorator';
import { ManagerConfig } from '../config/manager-config';
import { BranchFollower } from './branch-follower';
import { githubPush } from './github-push';
import { validGitHubSignature } from './github-signature';
import { WatchedSources } from './watched-sources';
import { WebhookDeliveries } from './webhook-deliveries';

/**
 * GitHub-style push webhooks, beside the poller: a signed push to a followed branch deploys its new head
 * (actor `webhook`) at once. Open to callers without a token; the HMAC signature under `WEBHOOK_SECRET` is
 * the credential, checked over the exact bytes received before anything in the body is used; each delivery is
 * acted on once.
 */
@Controller('webhooks')
export class WebhooksController {
  constructor(
    private readonly config: ManagerConfig,
    private readonly sources: WatchedSources,
    private readonly follower: BranchFollower,
    private readonly deliveries: WebhookDeliveries,
  ) {}

  @Public()
  @Post('github')
  @HttpCode(HttpStatus.ACCEPTED)
  async github(
    @Req() request: RawBodyRequest<Request>,
    @Headers('x-hub-signature-256') signature: string | undefined,
    @Headers('x-github-event') event: string | undefined,
    @Headers('x-github-delivery') delivery: string | undefined,
    @Body() body: unknown,
  ) {
    const secret = this.config.WEBHOOK_SECRET;
    if (!secret) throw new NotFound('webhooks are not configured: set WEBHOOK_SECRET');
    if (!request.rawBody || !validGitHubSignature(secret, request.rawBody, signature)) {
      throw new UnauthorizedException('the X-Hub-Signature-256 signature does not match the body');
    }
    if (!delivery || !/^[\w-]{1,100}$/.test(delivery)) {
      throw new BadRequestException(
        'X-GitHub-Delivery is missing or malformed: GitHub sends one with every delivery',
      );
    }
    if (!(await this.deliveries.first(delivery))) {
      return { ignored: `delivery ${delivery} was received before`, deployments: [] };
    }
    if (event === 'ping') return { deployments: [] };
    if (event !== 'push') return { ignored: `event "${event ?? 'none'}"`, deployments: [] };
    const push = githubPush.safeParse(body);
    if (!push.success) throw new BadRequestException('not a push event payload');
    const { ref, after, repository } = push.data;
    if (!ref.startsWith('refs/heads/') || /^0+$/.test(after))
      return { ignored: 'not a branch head', deployments: [] };
    const org = (repository.owner.login ?? repository.owner.name ?? '').toLowerCase();
    const branch = ref.slice('refs/heads/'.length);
    const followed = (await this.sources.all()).filter(
      (source) => source.org === org && source.repo === repository.name && source.branch === branch,
    );
    const deployments = [];
    for (const source of followed) {
      const deploymentId = await this.follower.follow(source, after, 'webhook');
      if (deploymentId) deployments.push(deploymentId);
    }
    return { deployments };
  }
}
