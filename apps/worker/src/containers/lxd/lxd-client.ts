import { LxdBackups } from './lxd-backups';
import { LxdExec } from './lxd-exec';
import { LxdFiles } from './lxd-files';
import { LxdImages } from './lxd-images';
import { LxdInstanceStates } from './lxd-instance-state';
import { LxdInstances } from './lxd-instances';
import { LxdNetworks } from './lxd-networks';
import { LxdOperations } from './lxd-operations';
import { DEFAULT_LXD_SOCKET, LxdSocket } from './lxd-socket';
import { LxdSnapshots } from './lxd-snapshots';
import { LxdStoragePools } from './lxd-storage-pools';

/**
 * The Worker's LXD client, one member per API resource, over LXD's unix socket. Every method either returns
 * what LXD answered or throws an LxdError with LXD's message and status; background operations have finished
 * (successfully) by the time a method returns. Provide it with `new LxdClient(config.LXD_SOCKET, config.LXD_PROJECT)`.
 */
export class LxdClient {
  readonly socket: LxdSocket;
  readonly operations: LxdOperations;
  readonly instances: LxdInstances;
  readonly state: LxdInstanceStates;
  readonly snapshots: LxdSnapshots;
  readonly backups: LxdBackups;
  readonly files: LxdFiles;
  readonly exec: LxdExec;
  readonly images: LxdImages;
  readonly networks: LxdNetworks;
  readonly storagePools: LxdStoragePools;

  constructor(socketPath: string = DEFAULT_LXD_SOCKET, project = 'default') {
    this.socket = new LxdSocket(socketPath, project);
    this.operations = new LxdOperations(this.socket);
    this.instances = new LxdInstances(this.socket, this.operations);
    this.state = new LxdInstanceStates(this.socket);
    this.snapshots = new LxdSnapshots(this.socket, this.operations);
    this.backups = new LxdBackups(this.socket, this.operations, this.instances);
    this.files = new LxdFiles(this.socket);
    this.exec = new LxdExec(this.socket, this.operations);
    this.images = new LxdImages(this.socket);
    this.networks = new LxdNetworks(this.socket);
    this.storagePools = new LxdStoragePools(this.socket);
  }
}
