/**
 * Schema changes of the deployment events, applied as they are read (stored events are never rewritten). The
 * shape matches the event store's `Upcaster`; the domain stays free of it.
 *
 * Version 2: the repository's name is lowercased, as DeploymentSource makes it since. Events of version 1 kept it
 * as the request spelled it, so `acme/Site` and `acme/site` would read as two repositories.
 */
const NAMING_A_REPOSITORY = [
  'DeploymentRequested',
  'DeploymentStopped',
  'DeploymentStarted',
  'DeploymentRestarted',
  'DeploymentRemoved',
];

export const deploymentUpcasters = NAMING_A_REPOSITORY.map((type) => ({
  type,
  fromVersion: 1,
  upcast: (data: unknown) => {
    const event = data as { repo?: unknown };
    return typeof event.repo === 'string' ? { ...event, repo: event.repo.toLowerCase() } : data;
  },
}));
