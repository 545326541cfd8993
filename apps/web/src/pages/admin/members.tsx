import { useState } from 'react';
import { inStreams } from '../../api/live';
import {
  addMember,
  linkIdentity,
  listMembers,
  removeMember,
  replaceToken,
  setRole,
  type IdentityProvider,
  type Role,
} from '../../api/members';
import { Action } from '../../components/action';
import { Field, Form } from '../../components/form';
import { Page, Section } from '../../components/page';
import { Loaded, useResource } from '../../components/resource';
import { PagedTable } from '../../components/table';
import { Time } from '../../components/time';
import { TokenOnce } from '../../components/token-once';

/** Members: add (the token shown once), change role, replace the token, remove. */
export function Members() {
  const members = useResource(listMembers, 'members', { refreshOn: inStreams('member-') });
  const [name, setName] = useState('');
  const [role, setNewRole] = useState<Role>('member');
  const [issued, setIssued] = useState<{ name: string; token: string }>();
  return (
    <Page title="Members">
      {issued && <TokenOnce {...issued} dismiss={() => setIssued(undefined)} />}
      <Section title="Add a member">
        <Form
          label="Add"
          submit={async () => {
            const added = await addMember(name.trim(), role);
            setIssued({ name: added.name, token: added.token });
            setName('');
            members.reload();
          }}
        >
          <div className="row">
            <Field label="Name" value={name} set={setName} required spellCheck={false} />
            <label className="field">
              <span>Role</span>
              <select value={role} onChange={(event) => setNewRole(event.target.value as Role)}>
                <option value="member">member</option>
                <option value="admin">admin</option>
              </select>
            </label>
          </div>
        </Form>
      </Section>
      <LinkIdentity linked={members.reload} />
      <Section title="Members">
        <Loaded resource={members} empty="No members yet.">
          {(list) => (
            <PagedTable
              label="Pages of members"
              rows={list}
              rowKey={(member) => member.name}
              columns={[
                { header: 'Name', cell: (member) => member.name },
                { header: 'Role', cell: (member) => member.role },
                {
                  header: 'Added',
                  cell: (member) => (
                    <>
                      {member.addedBy}, <Time at={member.addedAt} />
                    </>
                  ),
                },
                { header: 'Token replaced', cell: (member) => <Time at={member.tokenReplacedAt} /> },
                {
                  header: 'Signs in with',
                  cell: (member) =>
                    member.identities
                      .map(
                        ({ provider, login, signedIn }) =>
                          `${provider}: ${login}${signedIn ? '' : ' (not yet)'}`,
                      )
                      .join(', ') || '—',
                },
                {
                  header: 'Actions',
                  className: 'toolbar',
                  cell: (member) => (
                    <>
                      <Action
                        run={() => setRole(member.name, member.role === 'admin' ? 'member' : 'admin')}
                        done={members.reload}
                      >
                        Make {member.role === 'admin' ? 'member' : 'admin'}
                      </Action>
                      <Action
                        run={() => replaceToken(member.name)}
                        done={(answer) => setIssued(answer as typeof issued)}
                      >
                        Replace token
                      </Action>
                      <Action
                        run={async () => {
                          if (
                            !window.confirm(`Remove ${member.name}? Their token and sessions stop working.`)
                          )
                            return;
                          await removeMember(member.name);
                        }}
                        done={members.reload}
                        className="danger"
                      >
                        Remove
                      </Action>
                    </>
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

/** Links a member to a GitHub or OIDC account by its login: that account then signs in as them. */
function LinkIdentity({ linked }: { linked: () => void }) {
  const [name, setName] = useState('');
  const [provider, setProvider] = useState<IdentityProvider>('github');
  const [login, setLogin] = useState('');
  return (
    <Section title="Link a sign-in">
      <Form
        label="Link"
        submit={async () => {
          await linkIdentity(name.trim(), provider, login.trim());
          setName('');
          setLogin('');
          linked();
        }}
      >
        <div className="row">
          <Field label="Member" value={name} set={setName} required spellCheck={false} />
          <label className="field">
            <span>Provider</span>
            <select
              value={provider}
              onChange={(event) => setProvider(event.target.value as IdentityProvider)}
            >
              <option value="github">GitHub</option>
              <option value="oidc">OpenID Connect</option>
            </select>
          </label>
          <Field label="Their login there" value={login} set={setLogin} required spellCheck={false} />
        </div>
      </Form>
    </Section>
  );
}
