import type { LxdSocket } from './lxd-socket';

/** `/1.0/storage-pools/<name>/resources`: how full a pool is, in bytes (and inodes, not read here). */
export interface LxdPoolResources {
  space: { used: number; total: number };
}

/** Storage pools (`/1.0/storage-pools`): where members' containers keep their disks. */
export class LxdStoragePools {
  constructor(private readonly socket: LxdSocket) {}

  resources(name: string): Promise<LxdPoolResources> {
    return this.socket.sync({ path: `/1.0/storage-pools/${encodeURIComponent(name)}/resources` });
  }
}
