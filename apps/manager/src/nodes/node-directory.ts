import { Injectable } from '@nestjs/common';
import { ReadModels } from '../events/read-models';
import { NodeView } from './projections/node-view';
import { NODES } from './projections/nodes.projection';

/** Reads the nodes read model: for queries, for the checks that span nodes, and for the connections. */
@Injectable()
export class NodeDirectory {
  constructor(private readonly readModels: ReadModels) {}

  async all(): Promise<NodeView[]> {
    return (await this.views()).find().sort({ _id: 1 }).toArray();
  }

  async find(name: string): Promise<NodeView | null> {
    return (await this.views()).findOne({ _id: name });
  }

  private async views() {
    await this.readModels.started;
    return this.readModels.collection<NodeView>(NODES);
  }
}
