import { EXCLUSIVE_LABEL, publishedOf } from '../policy/allow-list';
import { isMapping } from '../policy/shapes';

/**
 * Why the checked project's next version cannot start beside the running one, or null when it can. Two versions
 * cannot both publish a host port, both write the project's data directories, or both use a volume marked
 * exclusive; such a project is redeployed the ordinary way, in place.
 */
export function whyNotBeside(project: Record<string, unknown>): string | null {
  const services = isMapping(project.services) ? project.services : {};
  const volumes = isMapping(project.volumes) ? project.volumes : {};
  for (const [service, definition] of Object.entries(services)) {
    if (!isMapping(definition)) continue;
    if (Array.isArray(definition.ports) && definition.ports.length > 0) {
      return `service ${service} publishes host port ${describePort(definition.ports[0])}, which only one version can hold`;
    }
    for (const mount of Array.isArray(definition.volumes) ? definition.volumes : []) {
      if (!isMapping(mount)) continue;
      if (mount.type === 'bind' && mount.read_only !== true) {
        return `service ${service} writes its data directory at ${String(mount.target)}, which two versions would write at once`;
      }
      const volume = typeof mount.source === 'string' ? volumes[mount.source] : undefined;
      if (mount.type === 'volume' && isMapping(volume) && exclusive(volume.labels)) {
        return `service ${service} mounts volume ${String(mount.source)}, marked ${EXCLUSIVE_LABEL}`;
      }
    }
  }
  return null;
}

function exclusive(labels: unknown): boolean {
  if (isMapping(labels)) return String(labels[EXCLUSIVE_LABEL]) === 'true';
  return Array.isArray(labels) && labels.some((label) => label === `${EXCLUSIVE_LABEL}=true`);
}

function describePort(entry: unknown): string {
  const published = publishedOf(entry);
  return typeof published === 'string' ? JSON.stringify(entry) : String(published[0]);
}
