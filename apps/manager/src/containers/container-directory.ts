import { Injectable } from '@nestjs/common';
import { Collection } from 'mongodb';
import { ContainerStatus } from '@testausdeploy/domain';
import { ReadModels } from '../events/read-models';
import { BackupView, ContainerView, ofCurrentIncarnation } from './projections/container-view';
import { CONTAINERS } from './projections/containers.projection';

/** Containers that hold a name, an SSH port and a place in their owner's quota. */
const LIVE: ContainerStatus[] = ['creating', 'running', 'stopped'];

/** A backup in the list of someone's backups: which container it is of, and whether that one is gone. */
export interface ListedBackup extends BackupView {
  container: string;
  containerDeleted: boolean;
}

/** The view with only the backups of its current incarnation: what the container's own routes show. */
function current(view: ContainerView): ContainerView {
  return { ...view, backups: view.backups.filter((backup) => ofCurrentIncarnation(view, backup)) };
}

/** Reads the containers read model. */
@Injectable()
export class ContainerDirectory {
  constructor(private readonly readModels: ReadModels) {}

  async find(name: string): Promise<ContainerView | null> {
    const view = await (await this.views()).findOne({ _id: name }, { projection: { _id: 0 } });
    return view && current(view);
  }

  /**
   * Every container, or those of one owner; deleted ones only where backups of them remain. With `asOfPosition`,
   * from the read model built as of that log position.
   */
  async list(
    owner: { ownerId: string } | { owner: string } | Record<string, never>,
    asOfPosition?: number,
  ): Promise<ContainerView[]> {
    const listed = async (views: Collection<ContainerView>) =>
      (
        await views
          .find(owner, { projection: { _id: 0 } })
          .sort({ _id: 1 })
          .toArray()
      )
        .map(current)
        .filter((view) => view.status !== 'deleted' || view.backups.length > 0);
    if (asOfPosition === undefined) return listed(await this.views());
    await this.readModels.started;
    return this.readModels.asOf(CONTAINERS, asOfPosition, (views) =>
      listed(views as unknown as Collection<ContainerView>),
    );
  }

  async live(): Promise<ContainerView[]> {
    return (await (await this.views()).find({ status: { $in: LIVE } }).toArray()).map(current);
  }

  /** The names whose move left an old copy on `node`, also of containers deleted since. */
  async leftOn(node: string): Promise<string[]> {
    return (await (await this.views()).find({ leftOn: node }, { projection: { _id: 1 } }).toArray()).map(
      ({ _id }) => _id,
    );
  }

  /** Every backup of every incarnation, or those one member owns, oldest first. */
  async backups(ownerId?: string): Promise<ListedBackup[]> {
    const mine = ownerId !== undefined;
    const views = await (await this.views()).find(mine ? { 'backups.ownerId': ownerId } : {}).toArray();
    return views
      .flatMap((view) =>
        view.backups.map((backup) => ({
          ...backup,
          container: view.name,
          containerDeleted: view.status === 'deleted' || !ofCurrentIncarnation(view, backup),
        })),
      )
      .filter((backup) => !mine || backup.ownerId === ownerId)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** The name of the container a backup is of, whichever incarnation. */
  async containerOfBackup(id: string): Promise<string | null> {
    const view = await (await this.views()).findOne({ 'backups.id': id }, { projection: { name: 1 } });
    return view?.name ?? null;
  }

  private async views() {
    await this.readModels.started;
    return this.readModels.collection<ContainerView>(CONTAINERS);
  }
}
