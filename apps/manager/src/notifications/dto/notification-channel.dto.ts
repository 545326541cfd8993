import { z } from 'zod';
import { CHANNEL_KINDS, NOTIFICATION_TOPICS } from '@testausdeploy/domain';
import { githubOrg, githubRepo } from '../../deployments/dto/request-deployment.dto';

/** What people call the channel: 1-64 characters on one line, no space at either end. */
const name = z
  .string()
  .max(64)
  .regex(/^\S(?:.*\S)?$/, 'one line of 1-64 characters, with no space at either end');
/** Any URL here; which ones a channel may send to is the server's policy (NotificationTargets: 403). */
const url = z.url({ error: 'not a URL' }).max(2048);
const topics = z
  .array(z.enum(NOTIFICATION_TOPICS))
  .min(1)
  .max(NOTIFICATION_TOPICS.length)
  .refine((list) => new Set(list).size === list.length, 'each topic once')
  .meta({ uniqueItems: true });

/** Body of `POST /notifications/channels`: without `project`, a channel for the whole server (admins only). */
export const addChannelBody = z
  .object({
    name,
    kind: z.enum(CHANNEL_KINDS),
    url,
    topics,
    project: z
      .object({ org: githubOrg, repo: githubRepo })
      .strict()
      .transform(({ org, repo }) => ({ org: org.toLowerCase(), repo: repo.toLowerCase() }))
      .optional(),
  })
  .strict();
export type AddChannelBody = z.infer<typeof addChannelBody>;

/** Body of `PATCH /notifications/channels/:id`: what changes. */
export const changeChannelBody = z
  .object({ name: name.optional(), url: url.optional(), topics: topics.optional() })
  .strict()
  .refine((body) => Object.values(body).some((value) => value !== undefined), 'change at least one field')
  .meta({ minProperties: 1 });
export type ChangeChannelBody = z.infer<typeof changeChannelBody>;

export const channelParams = z.object({ id: z.uuid() });
export type ChannelParams = z.infer<typeof channelParams>;

export const DELIVERY_STATES = ['pending', 'delivered', 'failed', 'cancelled'] as const;

/** Query of `GET /notifications/channels/:id/deliveries`. */
export const deliveriesQuery = z
  .object({
    state: z.enum(DELIVERY_STATES).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type DeliveriesQuery = z.infer<typeof deliveriesQuery>;
