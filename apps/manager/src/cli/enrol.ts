import { ManagerConfig } from '../config/manager-config';
import { callManager, expectStatus } from './manager-api';

interface Enrolled {
  kind: string;
  url: string;
  fingerprint: string;
  guardian: string | null;
}

const USAGE = 'usage: main.js enrol <name> worker|guardian <wss://host:port> <fingerprint> [guardian]';

/**
 * `main.js enrol <name> <kind> <url> <fingerprint> [guardian]`: enrols a node through the running Manager, and
 * can be run again: a node enrolled the same way is left as it is, one whose key changed is re-keyed
 * (`PUT /nodes/:name/fingerprint`), and one enrolled with another kind, address or guardian is refused.
 */
export async function enrolCommand(config: ManagerConfig, args: string[]): Promise<void> {
  const [name, kind, url, fingerprint, guardian] = args;
  if (!name || !kind || !url || !fingerprint || args.length > 5) throw new Error(USAGE);
  const path = `/nodes/${encodeURIComponent(name)}`;
  const current = await callManager(config, 'GET', path);
  expectStatus(current, `looking up node "${name}"`, 200, 404);
  if (current.status === 404) {
    const answer = await callManager(config, 'POST', '/nodes', { name, kind, url, fingerprint, guardian });
    expectStatus(answer, `enrolling node "${name}"`, 201);
    console.log(`enrolled ${kind} "${name}" at ${url}`);
    return;
  }
  const node = current.body as Enrolled;
  if (node.kind !== kind || node.url !== url || node.guardian !== (guardian ?? null)) {
    throw new Error(
      `node "${name}" is enrolled as ${node.kind} at ${node.url} (guardian ${node.guardian}): remove it first (DELETE ${path})`,
    );
  }
  if (node.fingerprint === fingerprint.toLowerCase()) {
    console.log(`node "${name}" is already enrolled`);
    return;
  }
  const answer = await callManager(config, 'PUT', `${path}/fingerprint`, { fingerprint });
  expectStatus(answer, `re-keying node "${name}"`, 200);
  console.log(`node "${name}" now pinned to ${fingerprint}`);
}
