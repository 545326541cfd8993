import { join } from 'node:path';
import { IcpHandlers, IcpServer, loadOrCreateIdentity } from '@testausdeploy/icp';
import { standInCapacity, standInGuardian } from '../../test/support/icp';

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

/** What the stand-in Workers and Guardians were asked, by command. */
export const asked = new Map<string, number>();
const count = (command: string) => asked.set(command, (asked.get(command) ?? 0) + 1);

/** What one deployed project takes of a stand-in Worker's memory, so its reports follow what it runs. */
const PROJECT_BYTES = 16 * 2 ** 20;

/** A Worker's answers: its capacity report shrinks with each project it deployed, as a real host's would. */
function worker(): IcpHandlers {
  let deployed = 0;
  return {
    health: async () => ({ service: 'worker', version: 'bench' }),
    capacity: async () => {
      count('capacity');
      const capacity = standInCapacity();
      const availableBytes = Math.max(0, capacity.memory.availableBytes - deployed * PROJECT_BYTES);
      return { ...capacity, memory: { ...capacity.memory, availableBytes }, projects: deployed };
    },
    deploy: async () => {
      count('deploy');
      deployed++;
      return {
        commit: 'a'.repeat(40),
        composeDigest: `sha256:${'b'.repeat(64)}`,
        containers: [],
        diskBytes: 0,
      };
    },
  };
}
const guardian: IcpHandlers = {
  health: async () => ({ service: 'guardian', version: 'bench' }),
  applyFirewall: async (state) => (count('applyFirewall'), standInGuardian.firewall(state)),
  applyRoutes: async (state) => (count('applyRoutes'), standInGuardian.routes(state)),
};

/** A simulated node: an ICP server answering like a Worker, and one like its Guardian, on 127.0.0.1. */
export interface StandInNode {
  name: string;
  worker: { port: number; fingerprint: string };
  guardian: { port: number; fingerprint: string };
  servers: IcpServer[];
}

/** Starts `count` simulated nodes in this process, trusting the Manager's key; identities kept under `dir`. */
export async function standInNodes(dir: string, first: number, total: number, manager: string) {
  const nodes: StandInNode[] = [];
  for (let n = first; n < first + total; n++) {
    const name = `n${n}`;
    const serve = async (kind: 'worker' | 'guardian') => {
      const identity = await loadOrCreateIdentity(join(dir, `${kind}-${name}`), `${kind}-${name}`);
      const server = new IcpServer({
        host: '127.0.0.1',
        port: 0,
        identity,
        trustedFingerprints: async () => [manager],
        logger: quiet,
        handlers: kind === 'worker' ? worker() : guardian,
      });
      return { server, port: (await server.listen()).port, fingerprint: identity.fingerprint };
    };
    const [w, g] = [await serve('worker'), await serve('guardian')];
    nodes.push({ name, worker: w, guardian: g, servers: [w.server, g.server] });
  }
  return nodes;
}
