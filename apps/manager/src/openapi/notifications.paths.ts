import { z } from 'zod';
import {
  addChannelBody,
  changeChannelBody,
  deliveriesQuery,
} from '../notifications/dto/notification-channel.dto';
import {
  addedNotificationChannel,
  delivery,
  notificationChannel,
  testQueued,
} from './responses/notifications.responses';
import { json, jsonBody as body, problem, queryParameters } from './openapi-helpers';

const channelId = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const channel = json('the channel, with its URL shown by host only', notificationChannel);

/** Notification channels: the server's (admins) and projects' (their maintainers), with their delivery logs. */
export function notificationPaths() {
  return {
    '/notifications/channels': {
      get: {
        summary:
          "The channels the caller may see: an admin's all, a member's those of their projects (a viewer's to look at only), each with its deliveries' counts and last error",
        responses: { 200: json('channels', z.array(notificationChannel)) },
      },
      post: {
        summary:
          "Add a Discord, Slack or generic webhook channel for a project (its maintainers) or, without `project`, the whole server (admins); a generic webhook's signing secret is in this answer only; each holds at most 10 channels",
        requestBody: body(addChannelBody),
        responses: {
          201: json('the channel and `signingSecret`', addedNotificationChannel),
          400: problem,
          403: problem,
          404: problem,
          409: problem,
        },
      },
    },
    '/notifications/channels/{id}': {
      get: { summary: 'One channel', parameters: [channelId], responses: { 200: channel, 404: problem } },
      patch: {
        summary: "Change a channel's name, URL or topics",
        parameters: [channelId],
        requestBody: body(changeChannelBody),
        responses: { 200: channel, 400: problem, 403: problem, 404: problem },
      },
      delete: {
        summary: 'Remove a channel; its messages not yet delivered are cancelled',
        parameters: [channelId],
        responses: { 204: { description: 'removed' }, 403: problem, 404: problem },
      },
    },
    '/notifications/channels/{id}/test': {
      post: {
        summary:
          'Queue a test message (one per channel every 30 s); it shows in the delivery log like any other',
        parameters: [channelId],
        responses: { 202: json('`{ queued: true }`', testQueued), 403: problem, 404: problem, 409: problem },
      },
    },
    '/notifications/channels/{id}/deliveries': {
      get: {
        summary:
          "The channel's newest messages first, each with its stable id, attempts, last HTTP status and error",
        parameters: [channelId, ...queryParameters(deliveriesQuery)],
        responses: { 200: json('deliveries', z.array(delivery)), 400: problem, 404: problem },
      },
    },
  };
}
