import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { Notice } from '../notice';
import { messageFor } from './message-formats';

/** What a hostile repository can put in a notice: its branch name and its build's failure reason. */
const notice: Notice = {
  topic: 'deployment.failed',
  org: 'acme',
  repo: 'site',
  title: 'acme/site failed to deploy <!channel>',
  text: 'build failed: [click](https://evil.example) @everyone <!here> <@123> *bold* `code`',
  fields: [{ name: 'Branch', value: '<!channel>|x' }],
  link: 'https://deploy.example/ui/deployments/1',
  bad: true,
  occurredAt: '2026-12-04T12:00:00.000Z',
};

describe('message formats: text from a repository stays text', () => {
  it('Discord: markdown escaped, no mentions parsed, the message id in the footer', () => {
    const body = JSON.parse(messageFor('discord', '7-abc', notice, null).body);
    const [embed] = body.embeds;
    assert.deepEqual(body.allowed_mentions, { parse: [] });
    assert.ok(embed.description.includes('\\[click\\]\\(https://evil.example\\)'), embed.description);
    assert.ok(embed.description.includes('\\*bold\\*'));
    assert.equal(embed.footer.text, 'Testausdeploy · 7-abc');
    assert.equal(embed.color, 0xd73a49);
  });

  it('Slack: the fallback text and every block escaped, so no @channel and no links of its own', () => {
    const body = messageFor('slack', '7-abc', notice, null).body;
    assert.doesNotMatch(body, /<!channel>|<!here>|<@123>/);
    const parsed = JSON.parse(body);
    assert.match(parsed.text, /&lt;!channel&gt;/);
    assert.match(JSON.stringify(parsed.blocks), /&lt;!here&gt;/);
  });

  it('a generic webhook: Standard Webhooks headers, a signature over id, time and body; none without a secret', () => {
    const secret = `whsec_${Buffer.from('k'.repeat(32)).toString('base64')}`;
    const now = new Date('2026-12-04T12:00:05Z');
    const { body, headers } = messageFor('webhook', '7-abc', notice, secret, now);
    assert.equal(headers['webhook-id'], '7-abc');
    assert.equal(headers['webhook-timestamp'], String(now.getTime() / 1000));
    const expected = createHmac('sha256', Buffer.from('k'.repeat(32)))
      .update(`7-abc.${headers['webhook-timestamp']}.${body}`)
      .digest('base64');
    assert.equal(headers['webhook-signature'], `v1,${expected}`);
    assert.deepEqual(JSON.parse(body).data.project, 'acme/site');
    assert.throws(() => messageFor('webhook', '7-abc', notice, null), /without its signing secret/);
  });
});
