import { useState } from 'react';
import { inStreams } from '../../api/live';
import { enrolNode, listNodes, rekeyNode, removeNode, type Enrolment } from '../../api/nodes';
import { Action } from '../../components/action';
import { Field, Form } from '../../components/form';
import { Page, Section } from '../../components/page';
import { Loaded, useResource } from '../../components/resource';
import { Status } from '../../components/status';
import { Time } from '../../components/time';
import { NodeCapacity } from './node-capacity';
import { WorkerPlacement } from './worker-placement';

/**
 * Workers and Guardians: enrol with their key's fingerprint, pin a new key, remove; their ICP session; a Worker's
 * capacity, labels and draining, and what runs on it.
 */
export function Nodes() {
  const nodes = useResource(listNodes, 'nodes', { everyMs: 5000, refreshOn: inStreams('node-') });
  const [form, setForm] = useState({ name: '', kind: 'worker', url: '', fingerprint: '', guardian: '' });
  const [rekey, setRekey] = useState<Record<string, string>>({});
  const set = (field: keyof typeof form) => (value: string) => setForm({ ...form, [field]: value });
  return (
    <Page title="Nodes">
      <Section title="Enrol a node">
        <Form
          label="Enrol"
          submit={async () => {
            await enrolNode({
              name: form.name.trim(),
              kind: form.kind as Enrolment['kind'],
              url: form.url.trim(),
              fingerprint: form.fingerprint.trim(),
              ...(form.kind === 'worker' && form.guardian.trim() ? { guardian: form.guardian.trim() } : {}),
            } as Enrolment);
            nodes.reload();
          }}
        >
          <div className="row">
            <Field label="Name" value={form.name} set={set('name')} required spellCheck={false} />
            <label className="field">
              <span>Kind</span>
              <select value={form.kind} onChange={(event) => set('kind')(event.target.value)}>
                <option value="worker">worker</option>
                <option value="guardian">guardian</option>
              </select>
            </label>
          </div>
          <Field label="Address (wss://)" value={form.url} set={set('url')} required spellCheck={false} />
          <Field
            label="Key fingerprint"
            value={form.fingerprint}
            set={set('fingerprint')}
            required
            spellCheck={false}
            hint="What `main.js fingerprint` prints on the node"
          />
          {form.kind === 'worker' && (
            <Field label="Its Guardian" value={form.guardian} set={set('guardian')} spellCheck={false} />
          )}
        </Form>
      </Section>
      <Section title="Enrolled">
        <Loaded resource={nodes} empty="No node is enrolled.">
          {(list) => (
            <ul className="plain">
              {list.map((node) => (
                <li key={node.name} className="node">
                  <div>
                    <strong>{node.name}</strong> <span className="muted">{node.kind}</span>{' '}
                    <Status value={node.connected ? 'connected' : 'unreachable'} />
                    {node.unreachableSince && (
                      <span className="small">
                        {' '}
                        since <Time at={node.unreachableSince} />
                      </span>
                    )}
                  </div>
                  <div className="mono small">{node.url}</div>
                  <div className="mono small">fingerprint {node.fingerprint}</div>
                  <div className="muted small">
                    enrolled by {node.enrolledBy}, <Time at={node.enrolledAt} />
                    {node.keyRotatedAt && (
                      <>
                        ; key rotated <Time at={node.keyRotatedAt} />
                      </>
                    )}
                    {node.guardian && <>; Guardian {node.guardian}</>}
                  </div>
                  {node.kind === 'worker' &&
                    (node.capacity ? (
                      <NodeCapacity capacity={node.capacity} />
                    ) : (
                      <div className="muted small">No capacity reported yet.</div>
                    ))}
                  {node.kind === 'worker' && <WorkerPlacement node={node} reload={nodes.reload} />}
                  <div className="toolbar">
                    <Field
                      label={`New fingerprint of ${node.name}`}
                      value={rekey[node.name] ?? ''}
                      set={(value) => setRekey({ ...rekey, [node.name]: value })}
                      spellCheck={false}
                    />
                    <Action
                      run={() => rekeyNode(node.name, (rekey[node.name] ?? '').trim())}
                      done={nodes.reload}
                    >
                      Pin new key
                    </Action>
                    <Action run={() => removeNode(node.name)} done={nodes.reload} className="danger">
                      Remove
                    </Action>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </Loaded>
      </Section>
    </Page>
  );
}
