import { Injectable } from '@nestjs/common';
import { NodeDirectory } from '../nodes/node-directory';
import { NodeWorkloads } from './node-workloads';

/**
 * Which owners of firewall rules and routes (`project:org/repo`, `container:name`) a Guardian holds: those
 * placed on the Workers it guards, and nothing of other nodes. An owner recorded before placements were (no
 * node) belongs to the Guardian of the only Worker while there is one.
 */
@Injectable()
export class GuardianScope {
  constructor(
    private readonly directory: NodeDirectory,
    private readonly workloads: NodeWorkloads,
  ) {}

  async of(guardian: string): Promise<(owner: string) => boolean> {
    const workers = (await this.directory.all()).filter((view) => view.kind === 'worker');
    const guarded = workers.filter((view) => view.guardian === guardian).map(({ name }) => name);
    const everyone = await this.workloads.on(workers.map(({ name }) => name));
    const placed = new Set<string>();
    const mine = new Set<string>();
    for (const [node, { projects, containers }] of everyone) {
      const owners = [...projects.map((p) => `project:${p}`), ...containers.map((c) => `container:${c}`)];
      owners.forEach((owner) => placed.add(owner));
      if (guarded.includes(node)) owners.forEach((owner) => mine.add(owner));
    }
    const soleWorker = workers.length === 1 && guarded.length === 1;
    return (owner) => mine.has(owner) || (soleWorker && !placed.has(owner));
  }
}
