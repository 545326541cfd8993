import { randomBytes } from 'node:crypto';
import { keyScope } from '../keys/key-scope';
import { Injectable } from '@nestjs/common';
import {
  ChannelKind,
  ChannelScope,
  InvalidInput,
  NotificationTopic,
  PROJECT_TOPICS,
  Sealed,
} from '@testausdeploy/domain';
import { DataKeys } from '../keys/data-keys';
import { NotificationTargets } from './delivery/notification-targets';
import { signingContext, targetContext } from './projections/notification-channel-view';

/** Checks what a channel is given and seals its secrets in its scope's data key before any event holds them. */
@Injectable()
export class ChannelSecrets {
  constructor(
    private readonly targets: NotificationTargets,
    private readonly keys: DataKeys,
  ) {}

  /** The URL's host (what is shown of it) and the URL sealed; refused if a channel may not send there. */
  async target(
    channelId: string,
    scope: ChannelScope,
    kind: ChannelKind,
    url: string,
  ): Promise<{ host: string; target: Sealed }> {
    const { host } = this.targets.check(url, kind);
    return { host, target: await this.keys.seal(keyScope(scope), url, targetContext(channelId)) };
  }

  /** A new signing secret for a generic webhook, in clear (shown once) and sealed. */
  async signingSecret(channelId: string, scope: ChannelScope): Promise<{ secret: string; sealed: Sealed }> {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    return {
      secret,
      sealed: await this.keys.seal(keyScope(scope), secret, signingContext(channelId)),
    };
  }
}

/** A project's channel hears of its project only; the server's topics are for the server's channels. */
export function checkTopics(scope: ChannelScope, topics: NotificationTopic[]): void {
  if (!scope.org) return;
  const others = topics.filter((topic) => !PROJECT_TOPICS.includes(topic));
  if (others.length > 0) {
    throw new InvalidInput(
      `topics: ${others.join(', ')} are about the whole server: only a server channel (set by an admin) hears of them`,
    );
  }
}
