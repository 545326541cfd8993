/**
 * The two servers of the ICP benchmark, each run in a child process of its own (so that client and server do
 * not share one event loop, as in production): `icp` is the real IcpServer serving `health`; `echo` is the
 * baseline, a bare `ws` server over the same mutual TLS 1.3 that sends every message back unchanged.
 * Prints the port it listens on, then serves until killed.
 */
import { createServer } from 'node:https';
import { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { IcpServer, loadOrCreateIdentity } from '@testausdeploy/icp';

async function main(kind: string, dir: string, trusted: string): Promise<void> {
  const identity = await loadOrCreateIdentity(dir, 'bench-server');
  const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
  if (kind === 'icp') {
    const server = new IcpServer({
      host: '127.0.0.1',
      port: 0,
      identity,
      trustedFingerprints: async () => [trusted],
      logger: quiet,
      handlers: { health: async () => ({ service: 'bench', version: '0' }) },
    });
    console.log((await server.listen()).port);
    return;
  }
  const https = createServer({
    key: identity.key,
    cert: identity.cert,
    minVersion: 'TLSv1.3',
    requestCert: true,
    rejectUnauthorized: false,
  });
  const wss = new WebSocketServer({ server: https });
  wss.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
  await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
  console.log((https.address() as AddressInfo).port);
}

// Exit normally on SIGTERM, so that --cpu-prof and other exit hooks get to write.
process.on('SIGTERM', () => process.exit(0));
const [kind, dir, trusted] = process.argv.slice(2);
main(kind, dir, trusted).catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
