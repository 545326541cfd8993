import { useState } from 'react';
import { drainNode, labelNode, type NodeStatus } from '../../api/nodes';
import { Action } from '../../components/action';
import { Field } from '../../components/form';
import { labelsOf } from '../../components/placement-fields';
import { Status } from '../../components/status';
import { Link } from '../../router';

/** What placement may put on a Worker (its labels, whether it is drained) and what is placed on it now. */
export function WorkerPlacement({ node, reload }: { node: NodeStatus; reload: () => void }) {
  const [labels, setLabels] = useState(node.labels.join(' '));
  const runs = node.projects.length + node.containers.length;
  return (
    <>
      <div className="small" aria-label={`What runs on ${node.name}`}>
        {node.draining && <Status value="draining" />} Labels:{' '}
        {node.labels.length ? <span className="mono">{node.labels.join(', ')}</span> : 'none'}. Runs{' '}
        {runs === 0 && 'nothing'}
        {node.projects.map((project, i) => (
          <span key={project}>
            {i > 0 && ', '}
            <Link to={`/projects/${project}`}>{project}</Link>
          </span>
        ))}
        {node.projects.length > 0 && node.containers.length > 0 && '; containers '}
        {node.containers.map((container, i) => (
          <span key={container}>
            {i > 0 && ', '}
            <Link to={`/containers/${container}`}>{container}</Link>
          </span>
        ))}
        .
        {node.leftOvers.length > 0 && (
          <>
            {' '}
            Old copies still to be removed:{' '}
            {node.leftOvers.map((project, i) => (
              <span key={project}>
                {i > 0 && ', '}
                <Link to={`/projects/${project}`}>{project}</Link>
              </span>
            ))}
            .
          </>
        )}
      </div>
      <div className="toolbar">
        <Field
          label={`Labels of ${node.name}`}
          value={labels}
          set={setLabels}
          spellCheck={false}
          hint="Separated by spaces: gpu ssd containers-only projects-only"
        />
        <Action run={() => labelNode(node.name, labelsOf(labels))} done={reload}>
          Set labels
        </Action>
        <Action run={() => drainNode(node.name, !node.draining)} done={reload}>
          {node.draining ? 'End draining' : 'Drain'}
        </Action>
      </div>
    </>
  );
}
