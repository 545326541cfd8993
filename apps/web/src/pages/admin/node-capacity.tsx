import type { NodeStatus } from '../../api/nodes';
import { Time } from '../../components/time';
import { gib } from '../../components/units';

const free = ({ freeBytes, totalBytes }: { freeBytes: number; totalBytes: number }) =>
  `${gib(freeBytes)} free of ${gib(totalBytes)}`;

/** A Worker's capacity as it last reported it: what placement chooses by. */
export function NodeCapacity({ capacity }: { capacity: NonNullable<NodeStatus['capacity']> }) {
  const { cpus, load1, memory, repositories, storagePool } = capacity;
  return (
    <dl className="facts small" aria-label="Capacity">
      <dt>CPU</dt>
      <dd>
        {cpus} {cpus === 1 ? 'core' : 'cores'}, load {load1.toFixed(2)}
      </dd>
      <dt>Memory</dt>
      <dd>{`${gib(memory.availableBytes)} available of ${gib(memory.totalBytes)}`}</dd>
      <dt>Repositories' disk</dt>
      <dd>{free(repositories)}</dd>
      <dt>Containers' pool</dt>
      <dd>{storagePool ? `${storagePool.name}: ${free(storagePool)}` : 'LXD does not answer'}</dd>
      <dt>Running</dt>
      <dd>
        {capacity.projects} {capacity.projects === 1 ? 'project' : 'projects'} ({capacity.projectContainers}{' '}
        {capacity.projectContainers === 1 ? 'container' : 'containers'}), {capacity.memberContainers ?? '—'}{' '}
        member {capacity.memberContainers === 1 ? 'container' : 'containers'}
      </dd>
      <dt>Measured</dt>
      <dd>
        <Time at={capacity.at} />
      </dd>
    </dl>
  );
}
