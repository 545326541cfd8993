import { ContainerSpec, Forbidden } from '@testausdeploy/domain';
import { ManagerConfig } from '../config/manager-config';

/** Refuses limits over what one container may have (403, a quota), naming each one that is over. */
export function checkQuota(limits: ContainerSpec['limits'], config: ManagerConfig): void {
  const over = [
    limits.cpus > config.CONTAINER_MAX_CPUS && `cpus ${limits.cpus} > ${config.CONTAINER_MAX_CPUS}`,
    limits.memoryMiB > config.CONTAINER_MAX_MEMORY_MIB &&
      `memoryMiB ${limits.memoryMiB} > ${config.CONTAINER_MAX_MEMORY_MIB}`,
    limits.diskGiB > config.CONTAINER_MAX_DISK_GIB &&
      `diskGiB ${limits.diskGiB} > ${config.CONTAINER_MAX_DISK_GIB}`,
  ].filter(Boolean);
  if (over.length > 0) throw new Forbidden(`over the quota for one container: ${over.join(', ')}`);
}
