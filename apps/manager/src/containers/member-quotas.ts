import { Injectable } from '@nestjs/common';
import { Forbidden } from '@testausdeploy/domain';
import { ManagerConfig } from '../config/manager-config';
import { ContainerDirectory } from './container-directory';

const MIB = 1024 * 1024;

/** A quota and how much of it is used. */
export interface Allowance {
  used: number;
  max: number;
}

/**
 * What a member has of everything they can make, against their quotas, and the most one container may be given:
 * what `GET /quota` answers.
 */
export interface MemberUsage {
  limits: { cpus: number; memoryMiB: number; diskGiB: number };
  containers: Allowance;
  snapshots: Allowance & { perContainer: number };
  backups: Allowance & { perContainer: number; mib: Allowance };
}

/** An export's share of its owner's backup quota, held while it runs. */
export interface BackupRoom {
  maxBytes: number;
  release(): void;
}

/** Who owns what is counted: the member's id, and their name for the reasons given. */
export interface Owner {
  owner: string;
  ownerId: string;
}

/**
 * A member's quotas over all their containers: snapshots, and backups by count and bytes (those of deleted
 * containers too). Snapshots and exports being made count as made, exports as if they had used all the room
 * they were given, so two at once cannot both take the rest; the Worker stops an export that goes past it.
 */
@Injectable()
export class MemberQuotas {
  private readonly exporting = new Map<string, { count: number; bytes: number }>();
  private readonly snapshotting = new Map<string, number>();

  constructor(
    private readonly config: ManagerConfig,
    private readonly directory: ContainerDirectory,
  ) {}

  async usage(ownerId: string): Promise<MemberUsage> {
    const { containers, snapshots, backups, backupBytes } = await this.recorded(ownerId);
    const running = this.exporting.get(ownerId) ?? { count: 0, bytes: 0 };
    const config = this.config;
    return {
      limits: {
        cpus: config.CONTAINER_MAX_CPUS,
        memoryMiB: config.CONTAINER_MAX_MEMORY_MIB,
        diskGiB: config.CONTAINER_MAX_DISK_GIB,
      },
      containers: { used: containers, max: config.MEMBER_MAX_CONTAINERS },
      snapshots: {
        used: snapshots + (this.snapshotting.get(ownerId) ?? 0),
        max: config.MEMBER_MAX_SNAPSHOTS,
        perContainer: config.CONTAINER_MAX_SNAPSHOTS,
      },
      backups: {
        used: backups + running.count,
        max: config.MEMBER_MAX_BACKUPS,
        perContainer: config.CONTAINER_MAX_BACKUPS,
        mib: { used: Math.ceil((backupBytes + running.bytes) / MIB), max: config.MEMBER_MAX_BACKUP_MIB },
      },
    };
  }

  /** Room for one more snapshot, held until released: two at once cannot both take the last one. */
  async reserveSnapshot({ owner, ownerId }: Owner): Promise<() => void> {
    const { snapshots } = await this.recorded(ownerId);
    // Read after the await: a snapshot reserved meanwhile counts.
    const running = this.snapshotting.get(ownerId) ?? 0;
    const max = this.config.MEMBER_MAX_SNAPSHOTS;
    if (snapshots + running >= max) {
      throw new Forbidden(
        `member "${owner}" has ${snapshots + running} snapshots, the most allowed (${max}); delete one first`,
      );
    }
    this.snapshotting.set(ownerId, running + 1);
    return () => {
      const left = (this.snapshotting.get(ownerId) ?? 1) - 1;
      if (left > 0) this.snapshotting.set(ownerId, left);
      else this.snapshotting.delete(ownerId);
    };
  }

  /** Room for one more backup: its count, and the bytes left of the member's quota, held until released. */
  async reserveBackup({ owner, ownerId }: Owner): Promise<BackupRoom> {
    const { backups, backupBytes } = await this.recorded(ownerId);
    // Read after the await: an export reserved meanwhile counts.
    const running = this.exporting.get(ownerId) ?? { count: 0, bytes: 0 };
    const max = this.config.MEMBER_MAX_BACKUPS;
    if (backups + running.count >= max) {
      throw new Forbidden(
        `member "${owner}" has ${backups + running.count} backups, the most allowed (${max}); delete one first`,
      );
    }
    const maxBytes = this.config.MEMBER_MAX_BACKUP_MIB * MIB - backupBytes - running.bytes;
    if (maxBytes <= 0) {
      throw new Forbidden(
        `member "${owner}" has used all ${this.config.MEMBER_MAX_BACKUP_MIB} MiB of their backup quota; delete a backup first`,
      );
    }
    this.exporting.set(ownerId, { count: running.count + 1, bytes: running.bytes + maxBytes });
    return {
      maxBytes,
      release: () => {
        const now = this.exporting.get(ownerId) ?? { count: 1, bytes: maxBytes };
        if (now.count <= 1) this.exporting.delete(ownerId);
        else this.exporting.set(ownerId, { count: now.count - 1, bytes: now.bytes - maxBytes });
      },
    };
  }

  private async recorded(ownerId: string) {
    const [live, backups] = await Promise.all([this.directory.live(), this.directory.backups(ownerId)]);
    const owned = live.filter((view) => view.ownerId === ownerId);
    return {
      containers: owned.length,
      snapshots: owned.reduce((sum, view) => sum + view.snapshots.length, 0),
      backups: backups.length,
      backupBytes: backups.reduce((sum, { bytes }) => sum + bytes, 0),
    };
  }
}
