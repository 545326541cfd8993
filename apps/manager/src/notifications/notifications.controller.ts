import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Actor } from '../auth/actor.decorator';
import { Caller, CurrentCaller } from '../auth/caller';
import { ForMembers } from '../auth/for-members.decorator';
import { ZodBody } from '../http/zod-body.pipe';
import { ChannelAccess } from './channel-access';
import { ChannelDirectory } from './channel-directory';
import { AddNotificationChannelCommand } from './commands/add-notification-channel.command';
import { ChangeNotificationChannelCommand } from './commands/change-notification-channel.command';
import { RemoveNotificationChannelCommand } from './commands/remove-notification-channel.command';
import { TestNotificationChannelCommand } from './commands/test-notification-channel.command';
import {
  AddChannelBody,
  addChannelBody,
  ChangeChannelBody,
  changeChannelBody,
  ChannelParams,
  channelParams,
  DeliveriesQuery,
  deliveriesQuery,
} from './dto/notification-channel.dto';

/** Notification channels: admins set the server's, maintainers their projects'; each with its delivery log. */
@Controller('notifications/channels')
@ForMembers()
export class NotificationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly access: ChannelAccess,
    private readonly directory: ChannelDirectory,
  ) {}

  @Get()
  list(@CurrentCaller() caller: Caller) {
    return this.directory.list(caller);
  }

  /** Adds a channel; a generic webhook's signing secret is in this answer only. */
  @Post()
  async add(
    @Body(new ZodBody(addChannelBody)) { project, ...channel }: AddChannelBody,
    @CurrentCaller() caller: Caller,
    @Actor() actor: string,
  ) {
    const scope = await this.access.scopeFor(caller, project);
    const added = await this.commands.execute(new AddNotificationChannelCommand(scope, channel, actor));
    return { ...(await this.directory.get(caller, added.channelId)), signingSecret: added.signingSecret };
  }

  @Get(':id')
  get(@Param(new ZodBody(channelParams)) { id }: ChannelParams, @CurrentCaller() caller: Caller) {
    return this.directory.get(caller, id);
  }

  @Patch(':id')
  async change(
    @Param(new ZodBody(channelParams)) { id }: ChannelParams,
    @Body(new ZodBody(changeChannelBody)) change: ChangeChannelBody,
    @CurrentCaller() caller: Caller,
    @Actor() actor: string,
  ) {
    const channel = await this.access.channel(caller, id, 'maintainer');
    await this.commands.execute(new ChangeNotificationChannelCommand(channel, change, actor));
    return this.directory.get(caller, id);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  async remove(
    @Param(new ZodBody(channelParams)) { id }: ChannelParams,
    @CurrentCaller() caller: Caller,
    @Actor() actor: string,
  ): Promise<void> {
    const { org, repo } = await this.access.channel(caller, id, 'maintainer');
    await this.commands.execute(new RemoveNotificationChannelCommand(id, { org, repo }, actor));
  }

  /** Queues a test message: it shows in the delivery log like any other. */
  @Post(':id/test')
  @HttpCode(HttpStatus.ACCEPTED)
  async test(
    @Param(new ZodBody(channelParams)) { id }: ChannelParams,
    @CurrentCaller() caller: Caller,
    @Actor() actor: string,
  ) {
    const { org, repo } = await this.access.channel(caller, id, 'maintainer');
    await this.commands.execute(new TestNotificationChannelCommand(id, { org, repo }, actor));
    return { queued: true };
  }

  /** The channel's newest messages, newest first, with each one's attempts and last error. */
  @Get(':id/deliveries')
  deliveries(
    @Param(new ZodBody(channelParams)) { id }: ChannelParams,
    @Query(new ZodBody(deliveriesQuery)) { state, limit }: DeliveriesQuery,
    @CurrentCaller() caller: Caller,
  ) {
    return this.directory.deliveryLog(caller, id, state, limit);
  }
}
