import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { MoveUnderWay, NotFound } from '@testausdeploy/domain';
import { ContainerInfo } from '@testausdeploy/icp';
import { mib } from '@testausdeploy/service';
import { NodeConnections } from '../nodes/node-connections';
import { ContainerDirectory } from './container-directory';
import { WorkerContainers } from './worker-containers';

/** A move's backup is the container's whole state: bounded by the room the Workers keep free, not a quota. */
const NO_QUOTA = Number.MAX_SAFE_INTEGER;
const PROGRESS_EVERY_BYTES = 64 * 1024 * 1024;

type Log = (line: string) => void;

/**
 * The Workers' part of moving a container (docs/containers.md, "Moving a container"): stopped on the old node,
 * backed up there, the backup's file carried piece by piece through the Manager to the new node's backup
 * directory (checked by its SHA-256 there), and restored under the container's own name and SSH port, so its
 * keys, host keys and data go with it. A move that fails on the way leaves the container where it was, as it
 * was, and removes what it had made.
 */
@Injectable()
export class ContainerMoves {
  private readonly logger = new Logger(ContainerMoves.name);

  constructor(
    private readonly worker: WorkerContainers,
    private readonly connections: NodeConnections,
    private readonly directory: ContainerDirectory,
  ) {}

  /** Both Workers must answer: a 503 naming the one that does not, before anything is done. */
  ensureReachable(from: string, to: string): void {
    this.connections.workerOn(from);
    this.connections.workerOn(to);
  }

  /** Names the move's backup: a member's backups are named by id (`b-…`), so it never meets one of theirs. */
  newBackupName(): string {
    return `move-${randomBytes(6).toString('hex')}`;
  }

  /**
   * Makes the container run on the move's node, as it ran or was stopped, and answers it as it runs there. Its
   * SSH port is the one its request took, which no other live container has.
   */
  async carry(name: string, move: MoveUnderWay, log: Log): Promise<ContainerInfo> {
    const { from, to, backup: key, running } = move;
    const { sshPort } = (await this.directory.find(name))!;
    if (running) {
      log(`stopping ${name} on ${from}`);
      await this.worker.request('containerAction', { name, action: 'stop' }, { node: from });
    }
    try {
      log(`backing up ${name} on ${from} as ${key}`);
      await this.worker.request(
        'exportBackup',
        { name, backup: key, maxBytes: NO_QUOTA, snapshots: true },
        { node: from, onProgress: log },
      );
      await this.copy(name, key, from, to, log);
      const info = await this.worker.request(
        'restoreBackup',
        { name, backup: key, newName: name, sshPort },
        { node: to, onProgress: log },
      );
      if (running) return info;
      log(`stopping ${name} on ${to}, as it was`);
      return await this.worker.request('containerAction', { name, action: 'stop' }, { node: to });
    } catch (error) {
      log(`the move failed: ${(error as Error).message}; ${name} stays on ${from}`);
      // Also when the restore's answer did not come (a timeout): the new node may have made it all the same.
      await this.quietly(to, `delete ${name}`, log, () => this.deleteIfThere(name, to));
      await this.removeBackups(name, key, [from, to], log);
      if (running) {
        await this.quietly(from, `start ${name}`, log, () =>
          this.worker.request('containerAction', { name, action: 'start' }, { node: from }),
        );
      }
      throw error;
    }
  }

  /**
   * Once the move is recorded: the old copy and the move's backups go. Throws while the old copy cannot be
   * deleted (its node away): it stays to be removed, and is when that node's Worker connects again.
   */
  async clearAfter(
    name: string,
    { from, backup }: Pick<MoveUnderWay, 'from' | 'backup'>,
    to: string,
    log: Log,
  ) {
    await this.deleteIfThere(name, from);
    await this.removeBackups(name, backup, [from, to], log);
    log(`nothing of ${name} is left on ${from}`);
  }

  /**
   * Undoes a move a stopped Manager left under way: whatever was restored on the new node and the move's backups
   * go, and a container that ran is started again where it ran. Throws, changing nothing it cannot redo, while
   * either node does not answer.
   */
  async undo(name: string, { from, to, backup, running }: MoveUnderWay, log: Log): Promise<void> {
    this.ensureReachable(from, to);
    await this.deleteIfThere(name, to);
    await this.removeBackups(name, backup, [from, to], log);
    if (running) await this.worker.request('containerAction', { name, action: 'start' }, { node: from });
  }

  /** The backup's file from `from` to `to`, piece after piece; the new Worker checks its SHA-256 at the end. */
  private async copy(name: string, backup: string, from: string, to: string, log: Log): Promise<void> {
    const read = (offset: number) =>
      this.worker.request('readBackup', { name, backup, offset }, { node: from });
    const first = await read(0);
    const { bytes, sha256 } = first;
    log(`carrying ${mib(bytes)} from ${from} to ${to}`);
    let { piece } = first;
    let reported = 0;
    for (let offset = 0; ;) {
      const { written, done } = await this.worker.request(
        'writeBackup',
        { name, backup, offset, piece, bytes, sha256: sha256! },
        { node: to },
      );
      if (done) break;
      offset = written;
      if (offset - reported >= PROGRESS_EVERY_BYTES) {
        reported = offset;
        log(`${mib(offset)} of ${mib(bytes)} carried`);
      }
      ({ piece } = await read(offset));
    }
    log(`${mib(bytes)} carried to ${to}, its SHA-256 checked there`);
  }

  private async deleteIfThere(name: string, node: string): Promise<void> {
    await unlessMissing(this.worker.request('deleteContainer', { name }, { node }));
  }

  private async removeBackups(name: string, backup: string, nodes: string[], log: Log): Promise<void> {
    for (const node of nodes) {
      await this.quietly(node, `delete the move's backup ${backup}`, log, () =>
        unlessMissing(this.worker.request('deleteBackup', { name, backup }, { node })),
      );
    }
  }

  /** Clearing up after the fact: a failure is said in the progress and the log, and what it left stays. */
  private async quietly(node: string, what: string, log: Log, work: () => Promise<unknown>): Promise<void> {
    await work().catch((error: Error) => {
      const line = `could not ${what} on ${node}: ${error.message}; do it by hand`;
      log(line);
      this.logger.warn(line);
    });
  }
}

/** What a Worker does not have is what clearing up wanted: its NotFound is taken as done. */
async function unlessMissing(work: Promise<unknown>): Promise<void> {
  await work.catch((error: Error) => {
    if (!(error instanceof NotFound)) throw error;
  });
}
