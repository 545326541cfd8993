import { answer, api } from './client';
import type { paths } from './generated/schema';

export type ChannelRequest =
  paths['/notifications/channels']['post']['requestBody']['content']['application/json'];
export type ChannelChange =
  paths['/notifications/channels/{id}']['patch']['requestBody']['content']['application/json'];
export type Channel = Awaited<ReturnType<typeof getChannel>>;
export type ChannelKind = ChannelRequest['kind'];
export type Topic = ChannelRequest['topics'][number];
export type Delivery = Awaited<ReturnType<typeof listDeliveries>>[number];

const byId = (id: string) => ({ params: { path: { id } } });

export const listChannels = () => answer(api.GET('/notifications/channels'));
export const getChannel = (id: string) => answer(api.GET('/notifications/channels/{id}', byId(id)));
export const addChannel = (body: ChannelRequest) => answer(api.POST('/notifications/channels', { body }));
export const changeChannel = (id: string, body: ChannelChange) =>
  answer(api.PATCH('/notifications/channels/{id}', { ...byId(id), body }));
export const removeChannel = (id: string) => answer(api.DELETE('/notifications/channels/{id}', byId(id)));
export const testChannel = (id: string) => answer(api.POST('/notifications/channels/{id}/test', byId(id)));
export const listDeliveries = (id: string) =>
  answer(
    api.GET('/notifications/channels/{id}/deliveries', { params: { path: { id }, query: { limit: 100 } } }),
  );

/** Each topic in words, in the order offered; a project's channel hears of the first five only. */
export const TOPICS: Record<Topic, string> = {
  'deployment.succeeded': 'a deployment succeeded',
  'deployment.failed': 'a deployment failed',
  'deployment.rolledBack': 'a project was rolled back',
  'polling.backedOff': 'the poller backs off a repository',
  'certificate.failed': 'the proxy could not get a certificate',
  'backup.succeeded': 'a scheduled backup succeeded',
  'backup.failed': 'a scheduled backup failed',
  'firewall.repaired': "drift of the firewall or the proxy's routes was repaired",
  'node.unreachable': 'a node is unreachable',
};
export const PROJECT_TOPICS = (Object.keys(TOPICS) as Topic[]).filter(
  (topic) =>
    topic.startsWith('deployment.') || topic.startsWith('polling.') || topic.startsWith('certificate.'),
);

/** A channel is failing while a message waits for another try, or one was given up after the newest delivery. */
export const failing = (channel: Channel) =>
  channel.deliveries.retrying > 0 || channel.deliveries.failedSinceDelivered > 0;
