import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { parseSubnet, type Subnet } from '@testausdeploy/service';
import { composeCli, projectAt } from '../../../../../test/support/compose';
import { eventually } from '../../../../../test/support/ports';
import { composeProjectName, type ComposeProject } from '../compose-cli';
import { AppsNetwork } from './apps-network';
import { withRoutes } from './project-routes';

const run = promisify(execFile);
const BASE_IMAGE = 'testausdeploy/busybox:latest';

// A network and subnet of this run's own (10.89.x.0/24), so concurrent test files and the Systems' default apps
// network (10.88.0.0/16) never overlap it.
describe('the apps network against dockerd: fixed addresses the host reaches, and apps that cannot reach each other', () => {
  const docker = new Dockerode();
  const suffix = randomBytes(3).toString('hex');
  const name = `td-apps-${suffix}`;
  const subnet = parseSubnet(`10.89.${randomInt(1, 255)}.0/24`) as Subnet;
  const cli = composeCli();
  let root: string;
  let network: AppsNetwork;
  const projects: ComposeProject[] = [];

  /** A compose project whose service `web` answers `says` on port 8080, routed as the Worker routes it. */
  async function deploy(repo: string, says: string, address: string): Promise<ComposeProject> {
    const dir = path.join(root, repo);
    await fs.mkdir(dir, { recursive: true });
    const command = `echo '${says}' > /tmp/index.html && exec httpd -f -p 8080 -h /tmp`;
    const { project: routed } = withRoutes(
      { services: { web: { image: BASE_IMAGE, command: ['sh', '-c', command] } } },
      [{ service: 'web', port: 8080, address }],
      name,
    );
    await fs.writeFile(path.join(dir, 'compose.yml'), JSON.stringify(routed));
    const project = await projectAt(
      composeProjectName('int', `${repo}-${suffix}`),
      path.join(dir, 'compose.yml'),
    );
    projects.push(project);
    await cli.up(project);
    return project;
  }

  const fetchText = (address: string) =>
    eventually(async () => {
      const res = await fetch(`http://${address}:8080/`, { signal: AbortSignal.timeout(2_000) });
      return res.ok ? (await res.text()).trim() : undefined;
    }, 15_000);

  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'td-apps-network-'));
    network = new AppsNetwork(docker, name, subnet);
  });

  after(async () => {
    for (const project of projects) await cli.remove(project, true).catch(() => undefined);
    await docker
      .getNetwork(name)
      .remove()
      .catch(() => undefined);
    await docker
      .getNetwork(`${name}-odd`)
      .remove()
      .catch(() => undefined);
    await fs.rm(root, { recursive: true, force: true });
  });

  it('makes the network with its subnet and inter-container traffic off, and gives each service its own address', async () => {
    const first = await network.addresses('td_int_one', ['web', 'api']);
    const second = await network.addresses('td_int_two', ['web']);
    const info = (await docker.getNetwork(name).inspect()) as {
      IPAM: { Config: { Subnet: string }[] };
      Options: Record<string, string>;
    };
    assert.equal(info.IPAM.Config[0].Subnet, subnet.text);
    assert.equal(info.Options['com.docker.network.bridge.enable_icc'], 'false');
    const all = [first.get('web'), first.get('api'), second.get('web')];
    assert.equal(new Set(all).size, 3, all.join(', '));
    assert.deepEqual(await network.addresses('td_int_one', ['web']), new Map([['web', first.get('web')]]));
  });

  it(
    'the host reaches a routed service at its address, across a restart and a new Worker; another app cannot',
    { timeout: 120_000 },
    async () => {
      const one = composeProjectName('int', `one-${suffix}`);
      const two = composeProjectName('int', `two-${suffix}`);
      const [a] = (await network.addresses(one, ['web'])).values();
      const [b] = (await network.addresses(two, ['web'])).values();
      await deploy(`one`, 'one', a);
      const second = await deploy(`two`, 'two', b);
      assert.equal(await fetchText(a), 'one');
      assert.equal(await fetchText(b), 'two');

      await cli.restart(second);
      assert.equal(await fetchText(b), 'two');
      // A Worker that starts again has no reservations: the running container's address is the service's.
      const restarted = new AppsNetwork(docker, name, subnet);
      assert.deepEqual(await restarted.addresses(two, ['web']), new Map([['web', b]]));
      // Which compose project holds an address: how a Worker finds the version the Manager's proxy sends to.
      assert.deepEqual(
        await restarted.holders([b, a, '10.255.255.254']),
        new Map([
          [b, two],
          [a, one],
        ]),
      );

      const [container] = await docker.listContainers({
        filters: { label: [`com.docker.compose.project=${two}`] },
      });
      const reach = await run('docker', [
        'exec',
        container.Id,
        'wget',
        '-q',
        '-T',
        '3',
        '-O',
        '-',
        `http://${a}:8080/`,
      ]).then(
        () => 'reached',
        () => 'refused',
      );
      assert.equal(reach, 'refused', "an app reached another app's service over the apps network");
      const { HostConfig } = await docker.getContainer(container.Id).inspect();
      assert.deepEqual(HostConfig.CapDrop, ['NET_RAW'], 'a routed app could forge ARP on the shared bridge');
    },
  );

  it('refuses a network of that name that is not the apps network it needs, and says how it differs', async () => {
    const odd = `${name}-odd`;
    await docker.createNetwork({ Name: odd, Driver: 'bridge' });
    await assert.rejects(
      new AppsNetwork(docker, odd, subnet).addresses('td_int_x', ['web']),
      (error: Error) =>
        new RegExp(
          `the Docker network ${odd} is not the apps network this Worker needs \\(subnet ${subnet.text.replace('.', '\\.')}, com\\.docker\\.network\\.bridge\\.enable_icc=false\\); it has subnet .* and com\\.docker\\.network\\.bridge\\.enable_icc=unset`,
        ).test(error.message),
    );
  });
});
