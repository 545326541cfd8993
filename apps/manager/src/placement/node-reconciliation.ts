import { Logger } from '@nestjs/common';
import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { Observations, StateDifference } from '@testausdeploy/domain';
import { IcpClient } from '@testausdeploy/icp';
import { ContainerView } from '../containers/projections/container-view';
import { CONTAINERS } from '../containers/projections/containers.projection';
import { DeploymentView } from '../deployments/projections/deployment-view';
import { newestDeployment } from '../deployments/newest-deployment';
import { ReadModels } from '../events/read-models';
import { NodeConnections } from '../nodes/node-connections';
import { NodeSessionOpened } from '../nodes/node-session-opened.event';
import { ObservationRecorder } from '../observations/observation-recorder';
import { NodeWorkloads } from './node-workloads';

/** How long the Worker has to say what runs on it. */
const ASK_TIMEOUT_MS = 30_000;

/** What the log says a project's newest deployment left running, by its status; other statuses say nothing. */
const EXPECTED: Partial<Record<DeploymentView['status'], 'running' | 'stopped'>> = {
  succeeded: 'running',
  stopped: 'stopped',
};

/**
 * When a Worker's session opens (the Manager started, or the node came back), what runs on it is read and
 * compared with the log: each project placed there (its containers running, by its newest deployment's status)
 * and each member's container (running or stopped). What differs is recorded once per session as
 * `NodeStateDiffered` (docs/scaling.md, "A node that goes away"); nothing is changed on the node or in the log.
 */
@EventsHandler(NodeSessionOpened)
export class NodeReconciliation implements IEventHandler<NodeSessionOpened> {
  private readonly logger = new Logger(NodeReconciliation.name);

  constructor(
    private readonly connections: NodeConnections,
    private readonly workloads: NodeWorkloads,
    private readonly readModels: ReadModels,
    private readonly observations: ObservationRecorder,
  ) {}

  handle({ kind, name }: NodeSessionOpened): void {
    if (kind !== 'worker') return;
    void this.reconcile(name).catch((error: Error) =>
      this.logger.error(`comparing what runs on ${name} with the log: ${error.message}`),
    );
  }

  /** The differences found on `node` (also recorded when there are any). */
  async reconcile(node: string): Promise<StateDifference[]> {
    const worker = this.connections.workerOn(node);
    const placed = (await this.workloads.on([node])).get(node);
    const differences = [
      ...(await this.projects(worker, placed?.projects ?? [])),
      ...(await this.memberContainers(worker, node)),
    ];
    if (differences.length > 0) {
      this.logger.warn(`${node} differs from the log: ${differences.map(describe).join('; ')}`);
      await this.observations.record(
        () => Observations.ofNode(node),
        (seen) => seen.nodeStateDiffered({ node, differences }),
        'manager',
      );
    }
    return differences;
  }

  private async projects(worker: IcpClient, projects: string[]): Promise<StateDifference[]> {
    const differences: StateDifference[] = [];
    for (const project of projects) {
      const slash = project.indexOf('/');
      const [org, repo] = [project.slice(0, slash), project.slice(slash + 1)];
      const newest = await newestDeployment(this.readModels, org, repo);
      const recorded = newest && EXPECTED[newest.status];
      if (!recorded) continue;
      const { containers } = await worker.request('usage', { org, repo }, { timeoutMs: ASK_TIMEOUT_MS });
      const running = containers.filter(({ state }) => state === 'running').length;
      const found = running > 0 ? 'running' : containers.length > 0 ? 'stopped' : 'no containers';
      if ((recorded === 'running') !== (found === 'running')) {
        differences.push({ subject: `project:${project}`, recorded, found });
      }
    }
    return differences;
  }

  private async memberContainers(worker: IcpClient, node: string): Promise<StateDifference[]> {
    const recorded = await this.readModels
      .collection<ContainerView>(CONTAINERS)
      .find({ node, status: { $in: ['running', 'stopped'] } }, { projection: { name: 1, status: 1 } })
      .toArray();
    if (recorded.length === 0) return [];
    const { containers } = await worker.request('listContainers', {}, { timeoutMs: ASK_TIMEOUT_MS });
    const found = new Map(containers.map(({ name, status }) => [name, status.toLowerCase()]));
    return recorded.flatMap(({ name, status }) => {
      const now = found.get(name) ?? 'missing';
      return now === status ? [] : [{ subject: `container:${name}`, recorded: status, found: now }];
    });
  }
}

const describe = ({ subject, recorded, found }: StateDifference) =>
  `${subject} is ${recorded} in the log, ${found} on the node`;
