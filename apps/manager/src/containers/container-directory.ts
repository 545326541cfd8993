import { Injectable } from '@nestjs/common';
import { ContainerStatus } from '@testausdeploy/domain';
import { ReadModels } from '../events/read-models';
import { ContainerView } from './projections/container-view';
import { CONTAINERS } from './projections/containers.projection';

/** Containers that hold a name, an SSH port and a place in their owner's quota. */
const LIVE: ContainerStatus[] = ['creating', 'running', 'stopped'];

/** Reads the containers read model. */
@Injectable()
export class ContainerDirectory {
  constructor(private readonly readModels: ReadModels) {}

  async find(name: string): Promise<ContainerView | null> {
    return (await this.views()).findOne({ _id: name }, { projection: { _id: 0 } });
  }

  /** Every container, or one member's; deleted ones only where backups of them remain. */
  async list(owner?: string): Promise<ContainerView[]> {
    const views = await (
      await this.views()
    )
      .find(owner ? { owner } : {}, { projection: { _id: 0 } })
      .sort({ _id: 1 })
      .toArray();
    return views.filter((view) => view.status !== 'deleted' || view.backups.length > 0);
  }

  async live(): Promise<ContainerView[]> {
    return (await this.views()).find({ status: { $in: LIVE } }).toArray();
  }

  private async views() {
    await this.readModels.started;
    return this.readModels.collection<ContainerView>(CONTAINERS);
  }
}
