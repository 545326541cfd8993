import { isMapping } from './shapes';
import { bytes, cpus } from './units';

export interface DefaultLimits {
  /** As compose writes memory: bytes, or with a unit (`512m`). */
  memory: string;
  cpus: number;
  pids: number;
}

/** Of two ways a service wrote one limit, the stricter; the default when it wrote none. */
function stricter(a: unknown, b: unknown, measure: (value: unknown) => number | null, fallback: unknown) {
  const set = [a, b].filter((value) => value !== undefined && measure(value) !== null);
  if (set.length === 0) return fallback;
  return set.reduce((x, y) => (Number(measure(y)) < Number(measure(x)) ? y : x));
}

/**
 * The rendered project with a memory, CPU and process limit on every service: the stricter of the two ways it
 * may write each (`mem_limit`/`cpus`/`pids_limit` or `deploy.resources.limits`), else the Worker's default, always
 * written as the top-level keys, which docker-compose 1.29 and compose v2 both apply (v1 knows no
 * `limits.pids`, and v2 refuses the two ways at once when they differ). No `version`: a Compose Specification
 * file. What a service sets itself has passed the allow-list's caps (MAX_MEMORY, MAX_CPUS, MAX_PIDS) already.
 * Logs are rotated too (withLogRotation).
 */
/** json-file logs (Docker's default driver) grow without end unless rotated: 3 files of 10 MB unless set. */
function withLogRotation(logging: unknown): unknown {
  const spec = isMapping(logging) ? logging : {};
  if ((spec.driver ?? 'json-file') !== 'json-file') return logging;
  const options = isMapping(spec.options) ? spec.options : {};
  return { ...spec, driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3', ...options } };
}

export function withDefaultLimits(
  project: Record<string, unknown>,
  defaults: DefaultLimits,
): Record<string, unknown> {
  const rest = { ...project };
  delete rest.version;
  const services = Object.fromEntries(
    Object.entries(isMapping(project.services) ? project.services : {}).map(([name, spec]) => {
      const service = { ...(spec as Record<string, unknown>) };
      const deploy = isMapping(service.deploy) ? { ...service.deploy } : undefined;
      const resources = deploy && isMapping(deploy.resources) ? { ...deploy.resources } : undefined;
      const limits = resources && isMapping(resources.limits) ? resources.limits : {};
      service.mem_limit = stricter(service.mem_limit, limits.memory, bytes, defaults.memory);
      service.cpus = stricter(service.cpus, limits.cpus, cpus, defaults.cpus);
      service.pids_limit = stricter(service.pids_limit, limits.pids, (value) => Number(value), defaults.pids);
      service.logging = withLogRotation(service.logging);
      if (deploy && resources) {
        delete resources.limits;
        if (Object.keys(resources).length > 0) deploy.resources = resources;
        else delete deploy.resources;
        if (Object.keys(deploy).length > 0) service.deploy = deploy;
        else delete service.deploy;
      }
      return [name, service];
    }),
  );
  return { ...rest, services };
}
