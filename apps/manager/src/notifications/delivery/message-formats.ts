import { createHmac } from 'node:crypto';
import { ChannelKind } from '@testausdeploy/domain';
import { cut, Notice } from '../notice';

/** A message ready to post: its body and the headers it needs. */
export interface Message {
  body: string;
  headers: Record<string, string>;
}

const RED = 0xd73a49;
const GREEN = 0x2ea043;

/**
 * Discord's execute-webhook body: one embed (title, description, link, colour, fields, time) and the message id
 * in its footer. No mentions are parsed: text from a repository saying `@everyone` stays text.
 */
/** Discord's markdown escaped: text from the log (a failure's reason) makes no links, code or headings. */
const discordText = (text: string) => text.replace(/[\\*_~`|>[\]()#-]/g, '\\$&');

function discord(id: string, notice: Notice): Message {
  const embed = {
    title: cut(notice.title, 256),
    description: cut(discordText(notice.text), 4096),
    ...(notice.link ? { url: notice.link } : {}),
    color: notice.bad ? RED : GREEN,
    fields: notice.fields.slice(0, 25).map(({ name, value }) => ({
      name: cut(discordText(name), 256),
      value: cut(discordText(value), 1024),
      inline: true,
    })),
    timestamp: notice.occurredAt,
    footer: { text: `Testausdeploy · ${id}` },
  };
  return json({ username: 'Testausdeploy', embeds: [embed], allowed_mentions: { parse: [] } });
}

/** Slack's mrkdwn escaping: text from the log cannot make links or mentions of its own. */
const slackText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A Slack incoming webhook's body (also Mattermost's and Rocket.Chat's): a fallback text and blocks. */
function slack(id: string, notice: Notice): Message {
  const title = slackText(cut(notice.title, 150));
  const heading = notice.link ? `*<${notice.link}|${title}>*` : `*${title}*`;
  const blocks = [
    { type: 'section', text: { type: 'mrkdwn', text: cut(`${heading}\n${slackText(notice.text)}`, 3000) } },
    ...(notice.fields.length > 0
      ? [
          {
            type: 'section',
            fields: notice.fields.slice(0, 10).map(({ name, value }) => ({
              type: 'mrkdwn',
              text: cut(`*${slackText(name)}*\n${slackText(value)}`, 2000),
            })),
          },
        ]
      : []),
    { type: 'context', elements: [{ type: 'mrkdwn', text: `Testausdeploy · ${id}` }] },
  ];
  return json({ text: cut(slackText(`${notice.title}: ${notice.text}`), 3000), blocks });
}

/**
 * A generic webhook: the notice as JSON, signed as the Standard Webhooks specification says, so receivers can
 * use its libraries: `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, keyed with the
 * base64 after the secret's `whsec_`. A receiver checks the timestamp is recent and keeps ids it has seen.
 */
function webhook(id: string, notice: Notice, secret: string, now: Date): Message {
  const body = JSON.stringify({
    id,
    type: notice.topic,
    timestamp: notice.occurredAt,
    data: {
      title: notice.title,
      text: notice.text,
      link: notice.link,
      project: notice.org && notice.repo ? `${notice.org}/${notice.repo}` : null,
      fields: notice.fields,
    },
  });
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': timestamp,
      'webhook-signature': `v1,${signature}`,
    },
  };
}

function json(payload: unknown): Message {
  return { body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } };
}

/** The message of `notice` for a channel of `kind`; a webhook's needs its signing secret. */
export function messageFor(
  kind: ChannelKind,
  id: string,
  notice: Notice,
  signingSecret: string | null,
  now = new Date(),
): Message {
  if (kind === 'discord') return discord(id, notice);
  if (kind === 'slack') return slack(id, notice);
  if (!signingSecret) throw new Error('a webhook channel without its signing secret cannot sign');
  return webhook(id, notice, signingSecret, now);
}
