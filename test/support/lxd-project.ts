import { execFile } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);
const lxc = (...args: string[]) => run('lxc', args).then(({ stdout }) => stdout);

/**
 * An LXD project of its own for a second Worker on this machine's one LXD, as on a host of its own: its default
 * profile puts containers on a bridge of its own (`subnet`) in the pool of LXD's default profile. The Worker that
 * is given it (`LXD_PROJECT`) neither sees nor touches the first Worker's containers, and may hold one of the
 * same name. Images are shared with the default project.
 */
export class LxdProject {
  private constructor(
    readonly name: string,
    /** The bridge its containers are on. */
    readonly bridge: string,
    /** The bridge's network, for the second Guardian's `CONTAINER_SUBNETS`. */
    readonly subnet: string,
  ) {}

  static async create(): Promise<LxdProject> {
    const id = randomBytes(3).toString('hex');
    // Away from the first bridge (scripts/lib.sh: 10.151.0.0/24) and the apps networks (10.88-89.0.0/16).
    const octet = randomInt(160, 200);
    const project = new LxdProject(`td-${id}`, `tdbr-${id}`, `10.${octet}.${randomInt(0, 256)}.0/24`);
    const pool = (await lxc('profile', 'device', 'get', 'default', 'root', 'pool')).trim();
    const gateway = project.subnet.replace(/0\/24$/, '1/24');
    await lxc(
      'network',
      'create',
      project.bridge,
      `ipv4.address=${gateway}`,
      'ipv4.nat=false',
      'ipv6.address=none',
    );
    await lxc(
      'project',
      'create',
      project.name,
      '-c',
      'features.images=false',
      '-c',
      'features.profiles=true',
    );
    const inProject = ['--project', project.name];
    await lxc('profile', 'device', 'add', 'default', 'root', 'disk', 'path=/', `pool=${pool}`, ...inProject);
    await lxc(
      'profile',
      'device',
      'add',
      'default',
      'eth0',
      'nic',
      `network=${project.bridge}`,
      'name=eth0',
      ...inProject,
    );
    return project;
  }

  /** Its instances whatever their state, its profile's devices, the project and its bridge. */
  async delete(): Promise<void> {
    const inProject = ['--project', this.name];
    const names = await this.instances().catch(() => []);
    for (const instance of names) await lxc('delete', '--force', instance, ...inProject).catch(() => '');
    for (const device of ['eth0', 'root']) {
      await lxc('profile', 'device', 'remove', 'default', device, ...inProject).catch(() => '');
    }
    await lxc('project', 'delete', this.name).catch(() => '');
    await lxc('network', 'delete', this.bridge).catch(() => '');
  }

  /** The names of the instances in the project. */
  async instances(): Promise<string[]> {
    const out = await lxc('list', '--format', 'csv', '-c', 'n', '--project', this.name);
    return out.split('\n').filter(Boolean);
  }
}
