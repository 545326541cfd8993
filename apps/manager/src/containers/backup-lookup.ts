import { Injectable } from '@nestjs/common';
import { BackupRecord, MemberContainer, NotFound } from '@testausdeploy/domain';
import { Caller } from '../auth/caller';
import { ContainerDirectory } from './container-directory';
import { containerActor, ContainerRepository } from './container.repository';

/**
 * Which backup: by its name among those of a container's current incarnation (`/containers/:name/backups/…`),
 * or by its id among every backup the caller owns, also of a deleted container whose name is someone else's
 * now (`/backups/:id`).
 */
export type BackupSelector = { container: string; backup: string } | { id: string };

/** Finds the backup a caller means, in its container's stream; another member's answers as if none existed. */
@Injectable()
export class BackupLookup {
  constructor(
    private readonly repository: ContainerRepository,
    private readonly directory: ContainerDirectory,
  ) {}

  /** The name of the container the backup is of (which the caller may still not be allowed to see). */
  async containerName(selector: BackupSelector): Promise<string> {
    if (!('id' in selector)) return selector.container;
    const name = await this.directory.containerOfBackup(selector.id);
    if (name === null) throw new NotFound(`backup "${selector.id}" does not exist`);
    return name;
  }

  async find(
    selector: BackupSelector,
    caller: Caller,
  ): Promise<{ container: MemberContainer; backup: BackupRecord }> {
    if ('id' in selector) {
      const container = await this.repository.load(await this.containerName(selector));
      return { container, backup: container.backupById(selector.id, containerActor(caller)) };
    }
    const container = await this.repository.loadFor(selector.container, caller);
    return { container, backup: container.backup(selector.backup) };
  }
}
