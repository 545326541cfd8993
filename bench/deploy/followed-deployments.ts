import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { EventStore } from '@testausdeploy/events';
import { concurrently } from '../measure';

/**
 * Records, for each repository, a deployment of its `main` branch that succeeded at `commit`, as the events the
 * Manager records for a real one (`DeploymentRequested`, then `DeploymentSucceeded`), in a stream of its own.
 * The Manager's deployments read model picks them up from the log like any other events; its sagas react only
 * to what its own process records, so nothing is deployed.
 */
export async function recordFollowedDeployments(
  mongoUrl: string,
  org: string,
  repos: string[],
  commit: string,
): Promise<void> {
  const client = await MongoClient.connect(mongoUrl);
  try {
    const store = new EventStore(client.db(), { source: 'bench' });
    await store.init();
    await concurrently(8, repos.length, async (_, index) => {
      const deploymentId = randomUUID();
      const source = { org, repo: repos[index], branch: 'main', composePath: 'docker-compose.yml' };
      await store.append(
        `deployment-${deploymentId}`,
        0,
        [
          { type: 'DeploymentRequested', data: { deploymentId, ...source, requestedBy: 'bench' } },
          {
            type: 'DeploymentSucceeded',
            data: { deploymentId, commit, composeDigest: `sha256:${'0'.repeat(64)}`, containers: [] },
          },
        ],
        { actor: 'bench', correlationId: deploymentId, causationId: null },
      );
    });
  } finally {
    await client.close();
  }
}

/** Drops the database a bench run used (mongo-java-server keeps everything in memory). */
export async function dropDatabase(mongoUrl: string): Promise<void> {
  const client = await MongoClient.connect(mongoUrl);
  try {
    await client.db().dropDatabase();
  } finally {
    await client.close();
  }
}
