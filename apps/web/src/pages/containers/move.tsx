import { useState } from 'react';
import { moveContainer, type MemberContainer } from '../../api/containers';
import { Field, Form } from '../../components/form';
import { Section } from '../../components/page';

/** An admin moves a container to another node; the page's last operation follows the move as it goes. */
export function Move({ container, changed }: { container: MemberContainer; changed: () => void }) {
  const [node, setNode] = useState('');
  return (
    <Section title="Move">
      <p>
        It is stopped, backed up, carried to the node named and restored there under its name and SSH port,
        with its keys and data; it runs again there if it ran here. Its backups stay on {container.node}.
      </p>
      <Form
        label="Move"
        submit={async () => {
          await moveContainer(container.name, node.trim());
          setNode('');
          changed();
        }}
      >
        <Field label="To node" value={node} set={setNode} required spellCheck={false} />
      </Form>
    </Section>
  );
}
