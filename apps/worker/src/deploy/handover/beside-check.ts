import { EXCLUSIVE_LABEL, publishedOf } from '../policy/allow-list';
import { isMapping } from '../policy/shapes';

/** A reason is recorded with the deployment: names and paths in it are cut to this many characters. */
const MAX_NAMED = 100;

/**
 * Why the checked project's next version cannot start beside the running one, or null when it can. Two versions
 * cannot both publish a host port, both write the project's data directories, or both write a named volume (two
 * databases on one set of files) unless the volume is labelled `org.testausdeploy.exclusive: "false"`; such a project
 * is redeployed the ordinary way, in place.
 */
export function whyNotBeside(project: Record<string, unknown>): string | null {
  const services = isMapping(project.services) ? project.services : {};
  const volumes = isMapping(project.volumes) ? project.volumes : {};
  for (const [name, definition] of Object.entries(services)) {
    if (!isMapping(definition)) continue;
    const service = cut(name);
    if (Array.isArray(definition.ports) && definition.ports.length > 0) {
      return `service ${service} publishes host port ${describePort(definition.ports[0])}, which only one version can hold`;
    }
    for (const mount of Array.isArray(definition.volumes) ? definition.volumes : []) {
      if (!isMapping(mount) || mount.read_only === true) continue;
      if (mount.type === 'bind') {
        return `service ${service} writes its data directory at ${cut(String(mount.target))}, which two versions would write at once`;
      }
      const volume = typeof mount.source === 'string' ? volumes[mount.source] : undefined;
      if (
        mount.type === 'volume' &&
        volume !== undefined &&
        !shared(isMapping(volume) ? volume.labels : null)
      ) {
        return (
          `service ${service} writes volume ${cut(String(mount.source))}, which two versions would write at once ` +
          `(label it ${EXCLUSIVE_LABEL}: "false" if they may)`
        );
      }
    }
  }
  return null;
}

/** Whether the volume's labels say two versions may write it at once. */
function shared(labels: unknown): boolean {
  if (isMapping(labels)) return String(labels[EXCLUSIVE_LABEL]) === 'false';
  return Array.isArray(labels) && labels.includes(`${EXCLUSIVE_LABEL}=false`);
}

function describePort(entry: unknown): string {
  const published = publishedOf(entry);
  return typeof published === 'string' ? cut(JSON.stringify(entry)) : String(published[0]);
}

function cut(text: string): string {
  return text.length > MAX_NAMED ? `${text.slice(0, MAX_NAMED)}…` : text;
}
