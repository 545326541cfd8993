import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { LxdInstances } from './lxd-instances';
import type { LxdOperations } from './lxd-operations';
import { instancePath, type LxdSocket } from './lxd-socket';
import type { LxdBackup } from './lxd-types';

export interface CreateBackup {
  /** Include the instance's snapshots (larger; snapshots are restore points, not backups). */
  withSnapshots?: boolean;
  /** LXD deletes its copy of the backup then; exported files are ours to keep. */
  expiresAt?: Date;
}

/**
 * Backups: LXD writes a tarball of the instance on its own storage, which we stream out to a file (the backup
 * directory is not the storage pool) and can import from such a file as a new instance. Uncompressed: gzip
 * made an export of the base image about seven times slower.
 */
export class LxdBackups {
  constructor(
    private readonly socket: LxdSocket,
    private readonly operations: LxdOperations,
    private readonly instances: LxdInstances,
  ) {}

  list(instance: string): Promise<LxdBackup[]> {
    return this.socket.sync({ path: `${instancePath(instance, 'backups')}?recursion=1` });
  }

  async create(instance: string, name: string, options: CreateBackup = {}): Promise<void> {
    await this.operations.run({
      method: 'POST',
      path: instancePath(instance, 'backups'),
      json: {
        name,
        instance_only: !options.withSnapshots,
        optimized_storage: false,
        compression_algorithm: 'none',
        ...(options.expiresAt ? { expires_at: options.expiresAt.toISOString() } : {}),
      },
    });
  }

  async delete(instance: string, name: string): Promise<void> {
    await this.operations.run({ method: 'DELETE', path: instancePath(instance, 'backups', name) });
  }

  /**
   * Streams a backup into `file` and returns its size in bytes. `watch` hears the bytes written so far before
   * each chunk is written; if it rejects, the export stops with its error. A partial file is removed when the
   * export fails.
   */
  async exportToFile(
    instance: string,
    name: string,
    file: string,
    watch: (bytes: number) => Promise<void> | void = () => undefined,
  ): Promise<number> {
    const res = await this.socket.open({ path: instancePath(instance, 'backups', name, 'export') });
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        Promise.resolve()
          .then(() => watch(bytes))
          .then(() => done(null, chunk), done);
      },
    });
    try {
      await pipeline(res, counter, createWriteStream(file, { mode: 0o600 }));
    } catch (err) {
      await fs.rm(file, { force: true });
      throw err;
    }
    return bytes;
  }

  /**
   * Creates the stopped instance `name` from an exported backup file. Its MAC address is dropped so that LXD
   * gives it a fresh one: a copy with the original's MAC would get the same DHCP lease and clash with it. Its
   * image templates are applied at first start as for a copy, so its hostname follows its new name.
   */
  async importFromFile(file: string, name: string): Promise<void> {
    const { size } = await fs.stat(file);
    await this.operations.run({
      method: 'POST',
      path: '/1.0/instances',
      body: createReadStream(file),
      headers: { 'X-LXD-name': name, 'Content-Length': String(size) },
    });
    const { config } = await this.instances.get(name);
    const macs = Object.keys(config).filter((key) => /^volatile\.[^.]+\.hwaddr$/.test(key));
    await this.instances.updateConfig(name, {
      ...Object.fromEntries(macs.map((key) => [key, null])),
      'volatile.apply_template': 'copy',
    });
  }
}
