import { ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BASE_IMAGE } from './benign-projects';
import { Dockerd, NetworkNamespace } from './netns';
import { eventually, freePorts } from './ports';
import { launch, main, stopProcess, System } from './system';
import { servedPage } from './web-site';

const run = promisify(execFile);
type NodeApp = 'worker' | 'guardian';

/** Prints what 127.0.0.1:PORT answers with 200, else nothing (run inside a namespace by `node -e`). */
const PAGE = `fetch('http://127.0.0.1:' + process.argv[1] + '/', { signal: AbortSignal.timeout(2000) }).then(async (res) => res.ok && process.stdout.write(await res.text()))`;
/** Asks 127.0.0.1:PORT every 50 ms and prints a line per answer: its moment, and the page or null. */
const ASKING = `const ask = () => fetch('http://127.0.0.1:' + process.argv[1] + '/', { signal: AbortSignal.timeout(1000) }).then((res) => (res.ok ? res.text() : null), () => null).then((page) => { console.log(JSON.stringify({ at: Date.now(), page })); setTimeout(ask, 50); }); ask();`;

/** An answer of `SecondNode.asking`. */
export interface Answer {
  /** When it came (`Date.now()`). */
  at: number;
  /** The page, or null when there was none with 200. */
  page: string | null;
}

export interface SecondNodeOptions {
  /**
   * A dockerd of its own, so that a project can move between the two nodes: it runs in the node's namespace
   * (`--bridge=none`, vfs), and its Worker deploys there. It starts with the base image the tests' projects
   * build FROM, copied from the host's dockerd (no registry is reachable). Else both Workers share that dockerd.
   */
  ownDockerd?: boolean;
  /** Adds to (or overrides) an app's environment. */
  env?: Partial<Record<NodeApp, Record<string, string>>>;
}

/**
 * A second node beside a System's own: its Worker and Guardian as separate processes from the build, with state
 * directories, ports, an apps network and a network namespace of their own, enrolled through the Manager's
 * command line as `worker-<name>` and `guardian-<name>`. The namespace is the node's host: its Guardian keeps its
 * firewall there, and its own dockerd (`ownDockerd`) runs and publishes ports there, where `servedPage` reaches
 * them. Without one, the two Workers share the host's dockerd: their projects and containers have different
 * names, and each Worker keeps what it deploys in its own directories. Both nodes share LXD.
 */
export class SecondNode {
  private readonly processes = new Map<NodeApp, ChildProcess>();

  private constructor(
    readonly name: string,
    readonly dir: string,
    private readonly env: Record<NodeApp, Record<string, string>>,
    /** Its host's network: where its Guardian keeps its firewall and its own dockerd runs. */
    readonly guardianNetns: NetworkNamespace,
    /** Its own dockerd, or null where it shares the host's. */
    readonly dockerd: Dockerd | null,
  ) {}

  static async start(system: System, name: string, options: SecondNodeOptions = {}) {
    const { env = {} } = options;
    const dir = join(system.dir, `node-${name}`);
    const [workerPort, guardianPort] = await freePorts(2);
    const netns = await NetworkNamespace.create('fw');
    const dockerd = options.ownDockerd ? await ownDockerd(netns) : null;
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
        ...(dockerd && { DOCKER_HOST: dockerd.socket }),
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
    const node = new SecondNode(name, dir, own, netns, dockerd);
    try {
      await node.enrol(system, workerPort, guardianPort);
    } catch (error) {
      await node.stop();
      throw error;
    }
    return node;
  }

  private async enrol(system: System, workerPort: number, guardianPort: number): Promise<void> {
    const { name, dir } = this;
    const manager = (await system.cli('manager', 'fingerprint')).trim();
    const fingerprints: Record<NodeApp, string> = { worker: '', guardian: '' };
    for (const app of ['guardian', 'worker'] as const) {
      await mkdir(join(dir, app), { recursive: true });
      fingerprints[app] = (await this.cli(app, 'fingerprint')).trim();
      await writeFile(join(dir, app, 'trusted-manager'), `${manager}\n`, { mode: 0o600 });
      this.launch(app);
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
    await this.connected(system);
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

  /** Runs `docker` against the dockerd its Worker deploys with; resolves with the output. */
  async docker(...args: string[]): Promise<string> {
    const host = this.dockerd ? ['-H', this.dockerd.socket] : [];
    return (await run('docker', [...host, ...args])).stdout;
  }

  /** The page its host serves on 127.0.0.1:`port`, or undefined while nothing answers it with 200. */
  async servedPage(port: number): Promise<string | undefined> {
    if (!this.dockerd) return servedPage(port);
    const page = await this.guardianNetns.exec(process.execPath, '-e', PAGE, String(port)).catch(() => '');
    return page || undefined;
  }

  /**
   * Asks its host for the page at 127.0.0.1:`port` every 50 ms until `stop`, which answers what came when. One
   * process does all of it: one per request would take a tenth of a second or more to start.
   */
  asking(port: number): { stop: () => Promise<Answer[]> } {
    const args = ['-e', ASKING, String(port)];
    const child = this.dockerd
      ? this.guardianNetns.spawn(process.execPath, args)
      : spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    return {
      stop: async () => {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = once(child, 'exit');
          child.kill();
          await exited;
        }
        const lines = out.split('\n').slice(0, -1);
        return lines.map((line) => JSON.parse(line) as Answer);
      },
    };
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
    if (this.dockerd) {
      // Removed at once: dockerd's own shutdown would give each container its stop timeout first.
      const ids = (await this.docker('ps', '-aq').catch(() => '')).split('\n').filter(Boolean);
      if (ids.length > 0) await this.docker('rm', '-f', ...ids).catch(() => undefined);
      await this.dockerd.stop();
    }
    await this.guardianNetns.delete();
  }
}

/** A dockerd in `netns` with the base image, copied from the host's dockerd as `docker save | docker load`. */
async function ownDockerd(netns: NetworkNamespace): Promise<Dockerd> {
  const dockerd = await netns.startDockerd();
  const copy = 'docker save "$1" | docker -H "$2" load --quiet';
  await run('bash', ['-o', 'pipefail', '-c', copy, 'copy', BASE_IMAGE, dockerd.socket]).catch(
    async (error: Error) => {
      await dockerd.stop();
      throw error;
    },
  );
  return dockerd;
}
