import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { CommandContext, IcpData, IcpError, IcpErrorCode, IcpResult } from '@testausdeploy/icp';
import { KeyedLock, mib } from '@testausdeploy/service';
import { BackupDirectory } from './backup-directory';
import { conflict, quotaExceeded } from './container-errors';
import { ContainerPlacement } from './container-placement';
import { ContainerSetup } from './container-setup';
import { LxdClient } from './lxd/lxd-client';
import { isManaged, memberContainer, nic, sshProxy } from './member-container';
import { MemberContainers } from './member-containers';

const PROGRESS_EVERY_BYTES = 64 * 1024 * 1024;

/**
 * ICP `exportBackup`, `listBackups`, `deleteBackup`, `restoreBackup`. A backup is an uncompressed LXD
 * tarball at `<BACKUP_DIR>/<container>/<backup>.tar` (0600): outside the storage pool, so it outlives the
 * container and the pool. LXD's own copy of the backup is deleted once exported. An export stops, keeping
 * nothing, once it passes the bytes the Manager allows it or would leave less than `BACKUP_MIN_FREE_MIB` free;
 * one whose container already holds more than either is refused before LXD writes its copy. Exports run one
 * at a time, so each sees the room the one before left.
 */
@Injectable()
export class BackupsHandler {
  private readonly exports = new KeyedLock();

  constructor(
    private readonly lxd: LxdClient,
    private readonly directory: BackupDirectory,
    private readonly containers: MemberContainers,
    private readonly placement: ContainerPlacement,
    private readonly setup: ContainerSetup,
  ) {}

  export(data: IcpData<'exportBackup'>, context: CommandContext): Promise<IcpResult<'exportBackup'>> {
    return this.exports.run('export', () => this.exportAlone(data, context));
  }

  private async exportAlone(
    { name, backup, maxBytes, snapshots = false }: IcpData<'exportBackup'>,
    context: CommandContext,
  ): Promise<IcpResult<'exportBackup'>> {
    const { usage } = await this.containers.info(name);
    const file = this.directory.file(name, backup);
    if (await this.directory.exists(name, backup)) throw conflict(`backup ${backup} of ${name} exists`);
    await this.directory.prepare(name);
    // LXD writes its whole copy before a byte of it is streamed here: what the disk holds decides up front.
    const holds = usage.diskBytes ?? 0;
    if (holds > maxBytes) throw tooLarge(maxBytes, `${name} holds ${mib(holds)}, more`);
    await this.directory.ensureRoom(holds);
    const inLxd = `export-${randomBytes(4).toString('hex')}`;
    const partial = `${file}.${inLxd}.partial`;
    context.progress(`backing up ${name}`);
    await this.lxd.backups.create(name, inLxd, { withSnapshots: snapshots });
    try {
      let reported = 0;
      const bytes = await this.lxd.backups.exportToFile(name, inLxd, partial, async (written) => {
        if (written > maxBytes) throw tooLarge(maxBytes, 'the backup is larger');
        if (written - reported < PROGRESS_EVERY_BYTES) return;
        reported = written;
        context.progress(`${mib(written)} written`);
        await this.directory.ensureRoom(PROGRESS_EVERY_BYTES);
      });
      // A link fails if the name was taken meanwhile, where a rename would overwrite that backup.
      await fs.link(partial, file).catch((err: NodeJS.ErrnoException) => {
        throw err.code === 'EEXIST' ? conflict(`backup ${backup} of ${name} exists`) : err;
      });
      context.progress(`${mib(bytes)} written to ${file}`);
      return this.directory.info(name, backup);
    } finally {
      await fs.rm(partial, { force: true });
      await this.lxd.backups.delete(name, inLxd).catch(() => undefined);
    }
  }

  async list({ name }: IcpData<'listBackups'>): Promise<IcpResult<'listBackups'>> {
    return { backups: await this.directory.list(name) };
  }

  /** Also an unfinished copy of it that `writeBackup` left (a move cut short), which is all there may be. */
  async delete({ name, backup }: IcpData<'deleteBackup'>): Promise<IcpResult<'deleteBackup'>> {
    const file = this.directory.file(name, backup);
    const incoming = await fs.rm(this.directory.incoming(file)).then(
      () => true,
      () => false,
    );
    if (!incoming) await this.directory.info(name, backup);
    await fs.rm(file, { force: incoming });
    return { name, backup };
  }

  /** Imports a backup as `newName` with a fresh MAC, the next free address and its own SSH port, and starts it. */
  async restore(
    { name, backup, newName, sshPort }: IcpData<'restoreBackup'>,
    context: CommandContext,
  ): Promise<IcpResult<'restoreBackup'>> {
    const file = (await this.directory.info(name, backup)).file;
    if (
      await this.lxd.instances.get(newName).then(
        () => true,
        () => false,
      )
    ) {
      throw conflict(`an instance named ${newName} exists`);
    }
    context.progress(`importing ${backup} of ${name} as ${newName}`);
    await this.lxd.backups.importFromFile(file, newName);
    try {
      const instance = await this.lxd.instances.get(newName);
      if (!isManaged(instance)) {
        throw new IcpError(
          IcpErrorCode.Forbidden,
          `${file} is not a backup of a container testausdeploy manages`,
        );
      }
      await this.placement.place(
        sshPort,
        async (placement) => {
          context.progress(`address ${placement.ipv4}, SSH on 127.0.0.1:${sshPort}`);
          await this.lxd.instances.update(newName, {
            devices: { eth0: nic(placement.network, placement.ipv4), ssh: sshProxy(sshPort) },
          });
          context.progress(`starting ${newName}`);
          await this.lxd.instances.start(newName);
        },
        newName,
      );
      await this.setup.waitForSsh(sshPort);
      context.progress(`sshd answers on 127.0.0.1:${sshPort}`);
      return await this.containers.info(memberContainer(await this.lxd.instances.get(newName)));
    } catch (err) {
      context.progress(`restore failed, removing ${newName}`);
      await this.containers.kill(newName).catch(() => undefined);
      await this.lxd.instances.delete(newName).catch(() => undefined);
      throw err;
    }
  }
}

function tooLarge(maxBytes: number, what: string) {
  return quotaExceeded(`${what} than the ${mib(maxBytes)} left of its owner's backup quota`);
}
