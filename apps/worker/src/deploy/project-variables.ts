import { IcpData } from '@testausdeploy/icp';
import { isMapping } from './policy/shapes';

export type ProjectVariable = NonNullable<IcpData<'deploy'>['variables']>[number];

/**
 * The checked project with the project's variables in its services' `environment`: those for every service
 * first, then each service's own, each replacing what the compose file set under the same name. Compose reads
 * `$` as interpolation, so each is escaped: the value reaches the container as it was given. The notes for the
 * deployment's log name variables and services, never a value.
 */
export function withVariables(
  project: Record<string, unknown>,
  variables: readonly ProjectVariable[],
): { project: Record<string, unknown>; notes: string[] } {
  if (variables.length === 0) return { project, notes: [] };
  const services = isMapping(project.services) ? project.services : {};
  const notes: string[] = [];
  const replaced = new Set<string>();
  const given = Object.fromEntries(
    Object.entries(services).map(([service, definition]) => {
      if (!isMapping(definition)) return [service, definition];
      const environment = environmentOf(definition.environment);
      for (const { name, value } of ordered(variables, service)) {
        if (environment.has(name)) replaced.add(name);
        environment.set(name, value.replace(/\$/g, '$$$$'));
      }
      return [service, { ...definition, environment: Object.fromEntries(environment) }];
    }),
  );
  for (const { name, service } of variables) {
    if (service !== null && !(service in services)) {
      notes.push(`variable ${name} is for service ${service}, which the compose file does not have`);
    }
  }
  const common = variables.filter(({ service }) => service === null).length;
  notes.unshift(
    `the configuration's ${variables.length} variable(s) given to the services` +
      (common < variables.length ? ` (${common} to every service, the rest to their own)` : ''),
  );
  if (replaced.size > 0) {
    notes.push(`the configuration replaced what the compose file set for ${[...replaced].sort().join(', ')}`);
  }
  return { project: { ...project, services: given }, notes };
}

/**
 * A service's environment by name (a Map: a variable may be named like an object's property, `__proto__` too):
 * compose renders a mapping, but `KEY=value` lists are read too.
 */
function environmentOf(environment: unknown): Map<string, unknown> {
  if (isMapping(environment)) return new Map(Object.entries(environment));
  if (!Array.isArray(environment)) return new Map();
  return new Map(
    environment.map((entry: unknown) => {
      const text = String(entry);
      const at = text.indexOf('=');
      return at < 0 ? [text, null] : [text.slice(0, at), text.slice(at + 1)];
    }),
  );
}

/** The variables a service gets, those for every service before its own (which win). */
function ordered(variables: readonly ProjectVariable[], service: string): ProjectVariable[] {
  return [
    ...variables.filter((variable) => variable.service === null),
    ...variables.filter((variable) => variable.service === service),
  ];
}
