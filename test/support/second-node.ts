import { ChildProcess, execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { NetworkNamespace } from './netns';
import { eventually, freePorts } from './ports';
import { launch, main, stopProcess, System } from './system';

const run = promisify(execFile);
type NodeApp = 'worker' | 'guardian';

/**
 * A second node beside a System's own: its Worker and Guardian as separate processes from the build, with state
 * directories, ports, an apps network and a Guardian's network namespace of their own, enrolled through the
 * Manager's command line as `worker-<name>` and `guardian-<name>`. The two Workers share dockerd and LXD: their
 * projects and containers have different names, and each Worker keeps what it deploys in its own directories.
 */
export class SecondNode {
  private readonly processes = new Map<NodeApp, ChildProcess>();

  private constructor(
    readonly name: string,
    readonly dir: string,
    private readonly env: Record<NodeApp, Record<string, string>>,
    /** Where its Guardian keeps its firewall. */
    readonly guardianNetns: NetworkNamespace,
  ) {}

  static async start(
    system: System,
    name: string,
    env: Partial<Record<NodeApp, Record<string, string>>> = {},
  ) {
    const dir = join(system.dir, `node-${name}`);
    const [workerPort, guardianPort] = await freePorts(2);
    const netns = await NetworkNamespace.create('fw');
    const own: Record<NodeApp, Record<string, string>> = {
      worker: {
        ...system.workerEnv,
        WORKER_PORT: String(workerPort),
        WORKER_STATE_DIR: join(dir, 'worker'),
        REPOS_DIR: join(dir, 'repos'),
        CHECKOUTS_DIR: join(dir, 'checkouts'),
        DATA_DIR: join(dir, 'data'),
        BACKUP_DIR: join(dir, 'backups'),
        // A network of its own beside the first Worker's, as on a host of its own.
        APPS_NETWORK: `testausdeploy-apps-${name}-${workerPort}`,
        APPS_SUBNET: '10.89.0.0/16',
        ...env.worker,
      },
      guardian: {
        ...system.guardianEnv,
        GUARDIAN_PORT: String(guardianPort),
        GUARDIAN_STATE_DIR: join(dir, 'guardian'),
        GUARDIAN_NETNS: netns.name,
        ...env.guardian,
      },
    };
    const node = new SecondNode(name, dir, own, netns);
    const manager = (await system.cli('manager', 'fingerprint')).trim();
    const fingerprints: Record<NodeApp, string> = { worker: '', guardian: '' };
    for (const app of ['guardian', 'worker'] as const) {
      await mkdir(join(dir, app), { recursive: true });
      fingerprints[app] = (await node.cli(app, 'fingerprint')).trim();
      await writeFile(join(dir, app, 'trusted-manager'), `${manager}\n`, { mode: 0o600 });
      node.launch(app);
    }
    const guardian = `guardian-${name}`;
    await system.cli(
      'manager',
      'enrol',
      guardian,
      'guardian',
      `wss://127.0.0.1:${guardianPort}`,
      fingerprints.guardian,
    );
    await system.cli(
      'manager',
      'enrol',
      `worker-${name}`,
      'worker',
      `wss://127.0.0.1:${workerPort}`,
      fingerprints.worker,
      guardian,
    );
    await node.connected(system);
    return node;
  }

  /** Waits until the Manager's sessions to both are up and the Worker has reported its capacity. */
  async connected(system: System): Promise<void> {
    await eventually(async () => {
      const { body } = await system.call<{ name: string; connected: boolean; capacity: unknown }[]>(
        'GET',
        '/nodes',
      );
      const mine = body.filter(({ name }) => name.endsWith(`-${this.name}`));
      return mine.length === 2 && mine.every((node) => node.connected) && mine.some((node) => node.capacity)
        ? true
        : undefined;
    }, 30_000).catch(async (error: Error) => {
      throw new Error(`${error.message}\n${await this.logs()}`);
    });
  }

  /** Kills one of its apps (SIGKILL, as a crash or a host that goes away ends it). */
  async crash(app: NodeApp): Promise<void> {
    const child = this.processes.get(app);
    if (child) await stopProcess(child, 'SIGKILL');
  }

  /** Starts one of its apps again, with its state. */
  launch(app: NodeApp): void {
    this.processes.set(app, launch(app, this.dir, this.env[app]));
  }

  cli(app: NodeApp, ...args: string[]): Promise<string> {
    return run('node', [main(app), ...args], { env: { ...process.env, ...this.env[app] } }).then(
      ({ stdout }) => stdout,
    );
  }

  logs(): Promise<string> {
    return Promise.all(
      (['worker', 'guardian'] as const).map(
        async (app) =>
          `--- ${app}-${this.name}\n${await readFile(join(this.dir, `${app}.log`), 'utf8').catch(() => '')}`,
      ),
    ).then((parts) => parts.join('\n'));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.processes.values()].map((child) => stopProcess(child)));
    await this.guardianNetns.delete();
  }
}
