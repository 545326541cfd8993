import { useState } from 'react';
import { inStreams } from '../../api/live';
import { addMember, listMembers, removeMember, replaceToken, setRole, type Role } from '../../api/members';
import { Action } from '../../components/action';
import { Field, Form } from '../../components/form';
import { Page, Section } from '../../components/page';
import { Loaded, useResource } from '../../components/resource';
import { Time } from '../../components/time';

/** A token the API gave once: shown here once, never stored. */
function TokenOnce({ name, token, dismiss }: { name: string; token: string; dismiss: () => void }) {
  return (
    <div className="notice" role="status">
      <p>
        The token of <strong>{name}</strong>, shown this once. Give it to them now:
      </p>
      <code className="token" aria-label={`Token of ${name}`}>
        {token}
      </code>
      <button type="button" onClick={dismiss}>
        Done
      </button>
    </div>
  );
}

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
      <Section title="Members">
        <Loaded resource={members} empty="No members yet.">
          {(list) => (
            <div className="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Role</th>
                    <th scope="col">Added</th>
                    <th scope="col">Token replaced</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((member) => (
                    <tr key={member.name}>
                      <td>{member.name}</td>
                      <td>{member.role}</td>
                      <td>
                        {member.addedBy}, <Time at={member.addedAt} />
                      </td>
                      <td>
                        <Time at={member.tokenReplacedAt} />
                      </td>
                      <td className="toolbar">
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
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Loaded>
      </Section>
    </Page>
  );
}
