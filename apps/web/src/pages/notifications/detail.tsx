import { useState } from 'react';
import { inStreams } from '../../api/live';
import {
  changeChannel,
  getChannel,
  listDeliveries,
  removeChannel,
  testChannel,
  TOPICS,
  type Channel,
} from '../../api/notifications';
import { Action } from '../../components/action';
import { Field, Form } from '../../components/form';
import { Page, Section } from '../../components/page';
import { Loaded, useResource } from '../../components/resource';
import { Status } from '../../components/status';
import { PagedTable } from '../../components/table';
import { Time } from '../../components/time';
import { navigate } from '../../router';
import { TopicChoice } from './topic-choice';

/** One channel: what it hears of, its delivery log (each message's attempts and last error), test, change, remove. */
export function ChannelPage({ id }: { id: string }) {
  const channel = useResource(() => getChannel(id), id, {
    everyMs: 5000,
    refreshOn: inStreams('notification-channel-'),
  });
  const deliveries = useResource(() => listDeliveries(id), `deliveries-${id}`, { everyMs: 5000 });
  return (
    <Page title="Notification channel">
      <Loaded resource={channel}>
        {(one) => (
          <>
            <Section title={one.name}>
              <dl className="facts">
                <dt>For</dt>
                <dd>{one.project ?? 'the whole server'}</dd>
                <dt>Kind</dt>
                <dd>{one.kind}</dd>
                <dt>Sends to</dt>
                <dd className="mono">{one.host}</dd>
                <dt>Hears of</dt>
                <dd>{one.topics.map((topic) => TOPICS[topic]).join(', ')}</dd>
                <dt>Added</dt>
                <dd>
                  by {one.addedBy}, <Time at={one.addedAt} />
                </dd>
              </dl>
              {one.access === 'viewer' ? (
                <p className="muted">Its maintainers test, change and remove it.</p>
              ) : (
                <>
                  <Action run={() => testChannel(id)} done={deliveries.reload}>
                    Send a test message
                  </Action>{' '}
                  <Action
                    run={() => removeChannel(id)}
                    done={() => navigate('/notifications')}
                    className="danger"
                  >
                    {`Remove ${one.name}`}
                  </Action>
                </>
              )}
            </Section>
            {one.access !== 'viewer' && <Change channel={one} changed={channel.reload} />}
          </>
        )}
      </Loaded>
      <Section title="Deliveries">
        <Loaded resource={deliveries} empty="No messages yet.">
          {(list) => (
            <PagedTable
              label="Pages of deliveries"
              rows={list}
              rowKey={(one) => one.id}
              columns={[
                { header: 'Made', cell: (one) => <Time at={one.createdAt} /> },
                { header: 'Message', cell: (one) => one.title },
                { header: 'State', cell: (one) => <Status value={one.state} /> },
                { header: 'Attempts', cell: (one) => one.attempts },
                {
                  header: 'Last answer',
                  cell: (one) => one.lastError ?? (one.lastStatus ? `HTTP ${one.lastStatus}` : '—'),
                },
                {
                  header: 'Delivered or next try',
                  cell: (one) =>
                    one.deliveredAt ? (
                      <Time at={one.deliveredAt} />
                    ) : one.nextAttemptAt ? (
                      <Time at={one.nextAttemptAt} />
                    ) : (
                      '—'
                    ),
                },
                { header: 'Message id', cell: (one) => one.id, className: 'mono' },
              ]}
            />
          )}
        </Loaded>
      </Section>
    </Page>
  );
}

function Change({ channel, changed }: { channel: Channel; changed: () => void }) {
  const [topics, setTopics] = useState(channel.topics);
  const [url, setUrl] = useState('');
  return (
    <Section title="Change it">
      <Form
        label="Save"
        submit={async () => {
          await changeChannel(channel.id, { topics, ...(url.trim() ? { url: url.trim() } : {}) });
          setUrl('');
          changed();
        }}
      >
        <Field
          label="New webhook URL"
          value={url}
          set={setUrl}
          type="url"
          spellCheck={false}
          hint="Leave it empty to keep the one it has."
        />
        <TopicChoice forProject={channel.project !== null} chosen={topics} set={setTopics} />
      </Form>
    </Section>
  );
}
