import { RenderedCompose } from './compose-policy';

export interface DefaultLimits {
  /** As compose writes memory: bytes, or with a unit (`512m`). */
  memory: string;
  cpus: number;
  pids: number;
}

/**
 * The rendered compose file with a memory, CPU and process limit on every service that sets none (in either
 * syntax: `mem_limit`/`cpus`/`pids_limit` or `deploy.resources.limits`), written as a Compose Specification file
 * (no `version`), which both compose v2 and docker-compose 1.29 run with these keys.
 */
export function withDefaultLimits(compose: RenderedCompose, defaults: DefaultLimits): RenderedCompose {
  const rest: RenderedCompose = { ...compose };
  delete rest.version;
  const services = Object.fromEntries(
    Object.entries(compose.services ?? {}).map(([name, spec]) => {
      const limits = ((spec.deploy as { resources?: { limits?: Record<string, unknown> } } | undefined)
        ?.resources?.limits ?? {}) as Record<string, unknown>;
      return [
        name,
        {
          ...spec,
          ...(spec.mem_limit === undefined && limits.memory === undefined && { mem_limit: defaults.memory }),
          ...(spec.cpus === undefined && limits.cpus === undefined && { cpus: defaults.cpus }),
          ...(spec.pids_limit === undefined && limits.pids === undefined && { pids_limit: defaults.pids }),
        },
      ];
    }),
  );
  return { ...rest, services };
}
