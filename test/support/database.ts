import { randomBytes } from 'node:crypto';

/**
 * A fresh database on the shared test server (mongo-java-server, started by scripts/test.sh) for one test file.
 */
export function testDatabaseUrl(purpose: string): string {
  const server = process.env.TEST_MONGO_URL;
  if (!server)
    throw new Error('TEST_MONGO_URL is not set: run the tests through `npm test` (scripts/test.sh)');
  return `${server.replace(/\/+$/, '')}/${purpose}-${randomBytes(4).toString('hex')}`;
}
