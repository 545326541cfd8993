import { useState, type ChangeEvent } from 'react';
import { createContainer, type Limits } from '../../api/containers';
import type { WhoAmI } from '../../api/session';
import { Field, Form } from '../../components/form';
import { PlacementFields, placementOf } from '../../components/placement-fields';
import { Section } from '../../components/page';
import { navigate } from '../../router';
import { ImageChoice } from './image-choice';

/** Public keys, one per line, from pasted text or an uploaded `.pub` file. */
const keysOf = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

/** A new container: name, limits, SSH keys (pasted or uploaded), optionally an image; the API checks the quota. */
export function CreateContainer({
  me,
  created,
  max,
}: {
  me: WhoAmI;
  created: () => void;
  /** The most one container may have, from the quota, once known. */
  max?: Limits;
}) {
  const [name, setName] = useState('');
  const [cpus, setCpus] = useState('1');
  const [memory, setMemory] = useState('512');
  const [disk, setDisk] = useState('4');
  const [keys, setKeys] = useState('');
  const [image, setImage] = useState('');
  const [owner, setOwner] = useState('');
  const [node, setNode] = useState('');
  const [labels, setLabels] = useState('');
  const upload = async (event: ChangeEvent<HTMLInputElement>) => {
    const files = [...(event.target.files ?? [])];
    const texts = await Promise.all(files.map((file) => file.slice(0, 64 * 1024).text()));
    setKeys([keys.trim(), ...texts.map((text) => text.trim())].filter(Boolean).join('\n'));
  };
  return (
    <Section title="New container">
      <Form
        label="Create"
        submit={async () => {
          const made = await createContainer({
            name: name.trim(),
            limits: { cpus: Number(cpus), memoryMiB: Number(memory), diskGiB: Number(disk) },
            sshKeys: keysOf(keys),
            ...(image ? { image } : {}),
            ...(me.role === 'admin' && owner.trim() ? { owner: owner.trim() } : {}),
            ...placementOf(node, labels),
          });
          created();
          navigate(`/containers/${encodeURIComponent(made.name)}`);
        }}
      >
        <Field
          label="Name"
          value={name}
          set={setName}
          required
          spellCheck={false}
          hint="Lower-case letters, digits and -"
        />
        <div className="row">
          {(
            [
              ['CPUs', 1, cpus, setCpus, max?.cpus],
              ['Memory (MiB)', 64, memory, setMemory, max?.memoryMiB],
              ['Disk (GiB)', 1, disk, setDisk, max?.diskGiB],
            ] as const
          ).map(([label, least, value, set, most]) => (
            <Field
              key={label}
              label={label}
              type="number"
              min={least}
              max={most}
              value={value}
              set={set}
              required
              hint={most === undefined ? undefined : `At most ${most}`}
            />
          ))}
        </div>
        <label className="field">
          <span>SSH public keys, one per line</span>
          <textarea
            value={keys}
            onChange={(event) => setKeys(event.target.value)}
            rows={3}
            spellCheck={false}
            required
          />
        </label>
        <label className="field">
          <span>Or upload a public key file</span>
          <input type="file" accept=".pub,text/plain" multiple onChange={upload} />
        </label>
        <ImageChoice value={image} set={setImage} />
        {me.role === 'admin' && (
          <Field
            label="Owner (member name)"
            value={owner}
            set={setOwner}
            spellCheck={false}
            hint="Empty: you"
          />
        )}
        <PlacementFields
          admin={me.role === 'admin'}
          node={node}
          setNode={setNode}
          labels={labels}
          setLabels={setLabels}
        />
      </Form>
    </Section>
  );
}
