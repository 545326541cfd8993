import { useState } from 'react';
import { inStreams } from '../../api/live';
import {
  addChannel,
  failing,
  listChannels,
  PROJECT_TOPICS,
  type Channel,
  type ChannelKind,
  type Topic,
} from '../../api/notifications';
import { listProjects } from '../../api/projects';
import type { WhoAmI } from '../../api/session';
import { Field, Form } from '../../components/form';
import { Page, Section } from '../../components/page';
import { Loaded, useResource } from '../../components/resource';
import { Status } from '../../components/status';
import { PagedTable } from '../../components/table';
import { TokenOnce } from '../../components/token-once';
import { Link } from '../../router';
import { TopicChoice } from './topic-choice';

const refresh = { everyMs: 10_000, refreshOn: inStreams('notification-channel-') };

/** The channels the caller may see, each with how its deliveries go; add one for a project or the server. */
export function Notifications({ me }: { me: WhoAmI }) {
  const channels = useResource(listChannels, 'channels', refresh);
  const [secret, setSecret] = useState<{ name: string; token: string }>();
  return (
    <Page title="Notifications">
      {secret && (
        <TokenOnce
          {...secret}
          dismiss={() => setSecret(undefined)}
          lead={
            <>
              The signing secret of <strong>{secret.name}</strong>, shown this once. Give it to the receiver
              to check each message's <span className="mono">webhook-signature</span>:
            </>
          }
        />
      )}
      <Section title="Channels">
        <Loaded
          resource={channels}
          empty="No channels yet: nothing is told of deployments, backups or nodes."
        >
          {(list) => <ChannelTable channels={list} />}
        </Loaded>
      </Section>
      <AddChannel
        me={me}
        added={(channel, signingSecret) => {
          if (signingSecret) setSecret({ name: channel.name, token: signingSecret });
          channels.reload();
        }}
      />
    </Page>
  );
}

export function ChannelTable({ channels }: { channels: Channel[] }) {
  return (
    <PagedTable
      label="Pages of channels"
      rows={channels}
      rowKey={(one) => one.id}
      columns={[
        { header: 'Channel', cell: (one) => <Link to={`/notifications/${one.id}`}>{one.name}</Link> },
        { header: 'For', cell: (one) => one.project ?? 'the whole server' },
        { header: 'Kind', cell: (one) => one.kind },
        { header: 'Host', cell: (one) => one.host, className: 'mono' },
        { header: 'Delivered', cell: (one) => one.deliveries.delivered },
        { header: 'Given up', cell: (one) => one.deliveries.failed },
        {
          header: 'Deliveries',
          cell: (one) => (
            <Status value={failing(one) ? 'failing' : one.deliveries.pending ? 'pending' : 'ok'} />
          ),
        },
        {
          header: 'Last error',
          cell: (one) => one.deliveries.lastError?.error ?? '—',
        },
      ]}
    />
  );
}

const PLACEHOLDERS: Record<ChannelKind, string> = {
  discord: 'https://discord.com/api/webhooks/…',
  slack: 'https://hooks.slack.com/services/…',
  webhook: 'https://your-receiver.example/hooks/testausdeploy',
};

function AddChannel({ me, added }: { me: WhoAmI; added: (channel: Channel, secret: string | null) => void }) {
  const projects = useResource(listProjects, 'projects');
  const admin = me.role === 'admin';
  const [name, setName] = useState('');
  const [kind, setKind] = useState<ChannelKind>('discord');
  const [url, setUrl] = useState('');
  const [target, setTarget] = useState('');
  const [topics, setTopics] = useState<Topic[]>(['deployment.failed', 'polling.backedOff']);
  const forProject = !admin || target !== '';
  const maintained = projects.state === 'ready' ? projects.data.filter((one) => one.access !== 'viewer') : [];
  return (
    <Section title="Add a channel">
      <Form
        label="Add"
        submit={async () => {
          const [org, repo] = target.split('/');
          const channel = await addChannel({
            name: name.trim(),
            kind,
            url: url.trim(),
            topics: forProject ? topics.filter((topic) => PROJECT_TOPICS.includes(topic)) : topics,
            ...(forProject ? { project: { org, repo } } : {}),
          });
          setName('');
          setUrl('');
          added(channel, channel.signingSecret);
        }}
      >
        <div className="row">
          <Field label="Channel name" value={name} set={setName} required maxLength={64} />
          <label className="field">
            <span>Kind</span>
            <select value={kind} onChange={(event) => setKind(event.target.value as ChannelKind)}>
              <option value="discord">Discord webhook</option>
              <option value="slack">Slack-compatible webhook</option>
              <option value="webhook">JSON webhook, signed</option>
            </select>
          </label>
          <label className="field">
            <span>For</span>
            <select value={target} onChange={(event) => setTarget(event.target.value)} required>
              {admin ? (
                <option value="">the whole server</option>
              ) : (
                <option value="" disabled>
                  {maintained.length ? 'choose a project you maintain' : 'you maintain no project'}
                </option>
              )}
              {maintained.map((one) => (
                <option key={`${one.org}/${one.repo}`} value={`${one.org}/${one.repo}`}>
                  {`${one.org}/${one.repo}`}
                </option>
              ))}
            </select>
          </label>
        </div>
        <Field
          label="Webhook URL"
          value={url}
          set={setUrl}
          type="url"
          required
          spellCheck={false}
          placeholder={PLACEHOLDERS[kind]}
          hint="A secret: kept sealed, shown from now on by its host only. HTTPS to a public address."
        />
        <TopicChoice forProject={forProject} chosen={topics} set={setTopics} />
      </Form>
    </Section>
  );
}
