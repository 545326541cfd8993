import { useState } from 'react';
import { inStreams } from '../api/live';
import { issueToken, listTokens, revokeToken, type TokenScope } from '../api/tokens';
import { Action } from '../components/action';
import { Field, Form } from '../components/form';
import { Page, Section } from '../components/page';
import { Loaded, useResource } from '../components/resource';
import { Status } from '../components/status';
import { PagedTable } from '../components/table';
import { Time } from '../components/time';
import { TokenOnce } from '../components/token-once';

/** The caller's own named API tokens: make one (shown once), see when each was last used, revoke. */
export function Tokens() {
  const tokens = useResource(listTokens, 'tokens', { refreshOn: inStreams('member-') });
  const [name, setName] = useState('');
  const [scope, setScope] = useState<TokenScope>('full');
  const [days, setDays] = useState('90');
  const [issued, setIssued] = useState<{ name: string; token: string }>();
  return (
    <Page title="API tokens">
      {issued && <TokenOnce {...issued} dismiss={() => setIssued(undefined)} />}
      <Section title="Make a token">
        <Form
          label="Make"
          submit={async () => {
            const made = await issueToken({ name: name.trim(), scope, expiresInDays: Number(days) });
            setIssued({ name: made.name, token: made.token });
            setName('');
            tokens.reload();
          }}
        >
          <div className="row">
            <Field label="Token name" value={name} set={setName} required spellCheck={false} maxLength={64} />
            <label className="field">
              <span>Scope</span>
              <select value={scope} onChange={(event) => setScope(event.target.value as TokenScope)}>
                <option value="full">full: whatever you may do</option>
                <option value="read">read: look, change nothing</option>
              </select>
            </label>
            <Field
              label="Days it lives"
              value={days}
              set={setDays}
              type="number"
              min={1}
              max={366}
              required
            />
          </div>
        </Form>
      </Section>
      <Section title="Your tokens">
        <Loaded
          resource={tokens}
          empty="No tokens yet: your account's own token, which an admin gave you, still works."
        >
          {(list) => (
            <PagedTable
              label="Pages of tokens"
              rows={list}
              rowKey={(token) => token.id}
              columns={[
                { header: 'Name', cell: (token) => token.name },
                { header: 'Scope', cell: (token) => token.scope },
                {
                  header: 'Expires',
                  cell: (token) =>
                    token.expired ? <Status value="expired" /> : <Time at={token.expiresAt} />,
                },
                {
                  header: 'Last used',
                  cell: (token) => (token.lastUsedAt ? <Time at={token.lastUsedAt} /> : 'never'),
                },
                {
                  header: 'Revoke',
                  cell: (token) => (
                    <Action run={() => revokeToken(token.id)} done={tokens.reload} className="danger">
                      {`Revoke ${token.name}`}
                    </Action>
                  ),
                },
              ]}
            />
          )}
        </Loaded>
      </Section>
    </Page>
  );
}
