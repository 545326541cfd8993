import { useState } from 'react';
import { moveProject, type Project } from '../../api/projects';
import { Field, Form } from '../../components/form';
import { Section } from '../../components/page';
import { navigate } from '../../router';

/** An admin moves a running project to another node; the move is a deployment there, whose page follows it. */
export function Move({ project }: { project: Project }) {
  const [node, setNode] = useState('');
  const { org, repo } = project;
  return (
    <Section title="Move">
      <p>
        It is deployed on the node named, its routes and ports switch there, and it is removed from{' '}
        {project.placement?.node ?? 'where it runs'}. Its data in volumes does not move.
      </p>
      <Form
        label="Move"
        submit={async () => {
          const { deploymentId } = await moveProject(org, repo, node.trim());
          navigate(`/deployments/${deploymentId}`);
        }}
      >
        <Field label="To node" value={node} set={setNode} required spellCheck={false} />
      </Form>
    </Section>
  );
}
