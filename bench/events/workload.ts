import { randomUUID } from 'node:crypto';
import { AppendMetadata, NewEvent, StoredEvent } from '@testausdeploy/events';

/** One append as the Manager makes it: a stream, the events, who caused them. */
export interface Append {
  streamId: string;
  events: NewEvent[];
  metadata: AppendMetadata;
}

const ORGS = ['alpha', 'beta', 'gamma', 'delta'];

/** A DeploymentRequested append, shaped like read-models.int.spec.ts's (with an idempotency key). */
export function requested(n: number, deploymentId: string = randomUUID()): Append {
  const actor = n % 2 ? 'alice' : 'bob';
  return {
    streamId: `deployment-${deploymentId}`,
    events: [
      {
        type: 'DeploymentRequested',
        data: {
          deploymentId,
          org: ORGS[n % ORGS.length],
          repo: `repo-${n % 40}`,
          branch: 'main',
          composePath: 'compose.yml',
          requestedBy: actor,
        },
      },
    ],
    metadata: { actor, correlationId: deploymentId, causationId: null, commandId: randomUUID() },
  };
}

/** The outcome of deployment `n`: one in four fails, the rest succeed with two containers. */
export function outcome(n: number, deploymentId: string): Append {
  const event: NewEvent =
    n % 4 === 0
      ? { type: 'DeploymentFailed', data: { deploymentId, reason: `compose up failed: exit code ${n % 7}` } }
      : {
          type: 'DeploymentSucceeded',
          data: {
            deploymentId,
            commit: n.toString(16).padStart(40, '0'),
            composeDigest: `sha256:${'c'.repeat(64)}`,
            containers: ['web', 'db'].map((service) => ({
              name: `d${n}-${service}-1`,
              service,
              state: n % 3 ? 'running' : 'exited',
              status: 'Up 2 seconds',
              ports:
                service === 'web'
                  ? [{ privatePort: 8080, publicPort: 30000 + (n % 1000), protocol: 'tcp' }]
                  : [],
            })),
          },
        };
  return {
    streamId: `deployment-${deploymentId}`,
    events: [event],
    metadata: { actor: 'system', correlationId: deploymentId, causationId: null, commandId: null },
  };
}

/**
 * A change of a project's configuration, as the Manager records it: a secret set (sealed: its ciphertext, the key
 * id, a nonce) and a plain value, by one of the project's maintainers. Each is the first of a project of its own,
 * so that the fill's concurrent appends never race on one stream.
 */
export function configurationChanged(n: number): Append {
  const [org, repo] = [ORGS[n % ORGS.length], `configured-${n}`];
  const sealed = { key: randomUUID(), iv: 'MDEyMzQ1Njc4OWFi', sealed: 'c'.repeat(64) };
  return {
    streamId: `configuration-${org}/${repo}`,
    events: [
      {
        type: 'ConfigurationChanged',
        data: {
          org,
          repo,
          version: 1,
          set: [
            { name: `SECRET_${n % 50}`, service: null, secret: true, value: null, sealed },
            { name: `PLAIN_${n % 50}`, service: 'web', secret: false, value: `value ${n}`, sealed: null },
          ],
          removed: [],
        },
      },
    ],
    metadata: { actor: 'member:ada', correlationId: randomUUID(), causationId: null, commandId: null },
  };
}

/** The event a stream at `version` gets next in the append runs: a request first, outcomes after. */
export function nextEvent(n: number, streamId: string, version: number): Append {
  const deploymentId = streamId.replace(/^deployment-/, '');
  return version === 0 ? requested(n, deploymentId) : outcome(n, deploymentId);
}

const HASH = 'f'.repeat(64);

/**
 * The document EventStore would store for `append`'s events from `position` on: same fields, same key order,
 * same sizes (a fixed 64-hex hash instead of a computed one), for the raw-driver baselines.
 */
export function rawDocuments(append: Append, version: number, position: number): StoredEvent[] {
  const batch = { first: position, last: position + append.events.length - 1 };
  const time = new Date();
  return append.events.map((event, index) => ({
    streamId: append.streamId,
    version: version + index + 1,
    position: position + index,
    batch,
    type: event.type,
    schemaVersion: 1,
    data: JSON.parse(JSON.stringify(event.data)),
    metadata: { commandId: null, ...append.metadata, source: 'bench', time },
    hash: HASH,
  }));
}

/** `count` events in one append to one new stream (requests and outcomes alternating), for the batch runs. */
export function bigAppend(n: number, count: number): Append {
  const first = requested(n);
  const deploymentId = first.metadata.correlationId;
  const events = Array.from({ length: count }, (_, index) =>
    index % 2 === 0
      ? requested(n + index, deploymentId).events[0]
      : outcome(n + index, deploymentId).events[0],
  );
  return { streamId: first.streamId, events, metadata: first.metadata };
}
