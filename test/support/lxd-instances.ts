import type { LxdClient } from '../../apps/worker/src/containers/lxd/lxd-client';

/** Stops and deletes every LXD instance whose name starts with `prefix-` (a test run's clean-up). */
export async function removeInstances(lxd: LxdClient, prefix: string): Promise<void> {
  for (const instance of await lxd.instances.list()) {
    if (!instance.name.startsWith(`${prefix}-`)) continue;
    if (instance.status !== 'Stopped') await lxd.instances.stop(instance.name, { force: true });
    await lxd.instances.delete(instance.name);
  }
}
