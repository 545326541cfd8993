import { Injectable } from '@nestjs/common';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { BackupInfo } from '@testausdeploy/icp';
import { mib } from '@testausdeploy/service';
import { WorkerConfig } from '../config/worker-config';
import { notFound, quotaExceeded } from './container-errors';

/**
 * The Worker's backup directory: a backup is the file `<BACKUP_DIR>/<container>/<backup>.tar` (0600), in a
 * directory of its container's name (0700). Whatever writes there keeps `BACKUP_MIN_FREE_MIB` free.
 */
@Injectable()
export class BackupDirectory {
  constructor(private readonly config: WorkerConfig) {}

  file(name: string, backup: string): string {
    return path.join(this.config.BACKUP_DIR, name, `${backup}.tar`);
  }

  /** Where `writeBackup` writes the backup `file` until it is whole. */
  incoming(file: string): string {
    return `${file}.incoming`;
  }

  /** The directory a backup of `name` is written to, made if missing. */
  async prepare(name: string): Promise<void> {
    await fs.mkdir(path.join(this.config.BACKUP_DIR, name), { recursive: true, mode: 0o700 });
  }

  async exists(name: string, backup: string): Promise<boolean> {
    return fs.stat(this.file(name, backup)).then(
      () => true,
      () => false,
    );
  }

  async info(name: string, backup: string): Promise<BackupInfo> {
    const file = this.file(name, backup);
    const stat = await fs.stat(file).catch(() => {
      throw notFound(`backup ${backup} of ${name}`);
    });
    return { name, backup, file, bytes: stat.size, createdAt: stat.mtime.toISOString() };
  }

  async list(name: string): Promise<BackupInfo[]> {
    const entries = await fs.readdir(path.join(this.config.BACKUP_DIR, name)).catch(() => []);
    const backups = entries.filter((entry) => entry.endsWith('.tar')).map((entry) => entry.slice(0, -4));
    const infos = await Promise.all(backups.map((backup) => this.info(name, backup)));
    return infos.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Refuses to go on when writing `next` more bytes would leave less than the room kept free. */
  async ensureRoom(next: number): Promise<void> {
    const { bavail, bsize } = await fs.statfs(this.config.BACKUP_DIR);
    const keep = this.config.BACKUP_MIN_FREE_MIB * 1024 * 1024;
    if (bavail * bsize - next < keep) {
      throw quotaExceeded(
        `the backup directory has ${mib(bavail * bsize)} free, and the Worker keeps ${mib(keep)} of it free`,
      );
    }
  }
}
