import { Injectable } from '@nestjs/common';
import { NodeWorkloads, Workloads } from '../placement/node-workloads';
import { NodeCapacities, ReportedCapacity } from './node-capacities';
import { NodeConnections } from './node-connections';
import { NodeView } from './projections/node-view';

/**
 * A node as the API shows it: the registry's record; whether its ICP session is up right now, or since when it
 * is down; and a Worker's last capacity report and what is placed on it.
 */
export type NodeStatus = Omit<NodeView, '_id' | 'position'> &
  Workloads & {
    connected: boolean;
    unreachableSince: Date | null;
    capacity: ReportedCapacity | null;
  };

@Injectable()
export class NodeStatuses {
  constructor(
    private readonly connections: NodeConnections,
    private readonly capacities: NodeCapacities,
    private readonly workloads: NodeWorkloads,
  ) {}

  async of(views: NodeView[]): Promise<NodeStatus[]> {
    const placed = await this.workloads.on(views.map(({ name }) => name));
    return views.map((view) => {
      const { name, kind, url, fingerprint, guardian, enrolledBy, enrolledAt, keyRotatedAt } = view;
      return {
        name,
        kind,
        url,
        fingerprint,
        guardian,
        labels: view.labels ?? [],
        draining: view.draining ?? false,
        enrolledBy,
        enrolledAt,
        keyRotatedAt,
        connected: this.connections.connected(name),
        unreachableSince: this.connections.unreachableSince(name),
        capacity: this.capacities.of(name),
        ...(placed.get(name) as Workloads),
      };
    });
  }

  async one(view: NodeView): Promise<NodeStatus> {
    return (await this.of([view]))[0];
  }
}
