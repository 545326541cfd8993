import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { composeProjectName } from '../../apps/worker/src/deploy/compose-cli';
import { slotNames } from '../../apps/worker/src/deploy/handover/project-slots';
import { removeComposeObjects } from './compose-objects';
import { DocumentedAnswers } from './documented-answers';
import { testDatabaseUrl } from './database';
import { testMasterKeyFile } from './master-key';
import { NetworkNamespace } from './netns';
import { eventually, freePorts } from './ports';

const run = promisify(execFile);
const DIST = resolve(__dirname, '..', '..', 'apps');
export type App = 'manager' | 'worker' | 'guardian';
/** In start order: the nodes listen before the Manager dials them. */
const APPS: readonly App[] = ['guardian', 'worker', 'manager'];
const REPOS = 'repos';
const CHECKOUTS = 'checkouts';
const DATA = 'data';

/** One deployment as `GET /deployments` lists it, as far as the tests look at it. */
export interface DeploymentSummary {
  id: string;
  repo: string;
  status: string;
  commit: string | null;
  requestedBy: string;
  reason: string | null;
}

/**
 * Manager, Worker and Guardian as separate processes from the build, each with its own state directory and
 * freshly generated identity, pinned to each other the way scripts/up.sh does it: the nodes trust the
 * Manager's key through their trust files, the Manager enrols them (`main.js enrol`, the API's POST /nodes).
 */
export class System {
  /** The Manager's OpenAPI document, which every answer to `call` is held to. */
  private answers: DocumentedAnswers | undefined;

  private constructor(
    readonly dir: string,
    readonly api: string,
    readonly token: string,
    private readonly processes: ChildProcess[],
    private readonly env: Record<App, Record<string, string>>,
    /** Where the Guardian keeps its firewall: a namespace of the test's, never the host's own rules. */
    readonly guardianNetns: NetworkNamespace,
  ) {}

  /**
   * `pollIntervalMs` turns the Manager's poller on (off by default, so tests see only their own deployments);
   * `env` adds to (or overrides) an app's environment.
   */
  static async start(options: {
    allowedOrgs: string;
    gitBaseUrl: string;
    pollIntervalMs?: number;
    /** The Manager's port, where a test must give its address out before it starts (an OIDC redirect URI). */
    apiPort?: number;
    env?: Partial<Record<App, Record<string, string>>>;
  }): Promise<System> {
    const dir = await mkdtemp(join(tmpdir(), 'system-'));
    const token = randomBytes(24).toString('hex');
    // Taken together (one after the other, the kernel can hand the same free port out twice), and none the API's.
    const ports = (await freePorts(4)).filter((port) => port !== options.apiPort);
    const [apiPort, workerPort, guardianPort] = [options.apiPort ?? ports[2], ports[0], ports[1]];
    const netns = await NetworkNamespace.create('fw');
    const env: Record<App, Record<string, string>> = {
      manager: {
        MANAGER_PORT: String(apiPort),
        MANAGER_STATE_DIR: join(dir, 'manager'),
        MONGO_URL: testDatabaseUrl('e2e'),
        ADMIN_TOKEN: token,
        ALLOWED_ORGS: options.allowedOrgs,
        POLL_INTERVAL_MS: String(options.pollIntervalMs ?? 0),
        MASTER_KEY_FILE: testMasterKeyFile(),
        NOTIFICATION_HOSTS: '127.0.0.1',
        NOTIFICATION_PRIVATE_HOSTS: '127.0.0.1',
        // The old version of a zero-downtime redeploy goes after a second, not 30.
        REDEPLOY_DRAIN_MS: '1000',
        // The Workers' capacity follows what the tests deploy within two seconds, not a minute.
        CAPACITY_INTERVAL_MS: '2000',
      },
      worker: {
        WORKER_PORT: String(workerPort),
        WORKER_STATE_DIR: join(dir, 'worker'),
        REPOS_DIR: join(dir, REPOS),
        CHECKOUTS_DIR: join(dir, CHECKOUTS),
        DATA_DIR: join(dir, DATA),
        GIT_BASE_URL: options.gitBaseUrl,
        ALLOWED_ORGS: options.allowedOrgs,
        // The tests publish on free ports the kernel hands out, not in the default range.
        PUBLISHED_PORTS: '1024-65535',
        HEALTH_SETTLE_MS: '1000',
      },
      guardian: {
        GUARDIAN_PORT: String(guardianPort),
        GUARDIAN_STATE_DIR: join(dir, 'guardian'),
        GUARDIAN_NETNS: netns.name,
        // The deployments publish on ports the kernel hands out (see the Worker's PUBLISHED_PORTS).
        PORT_RANGES: '1024-65535',
        RESERVED_PORTS: `${apiPort},${workerPort}`,
      },
    };
    for (const app of APPS) Object.assign(env[app], options.env?.[app]);
    const fingerprint = async (app: App) =>
      (await run('node', [main(app), 'fingerprint'], { env: { ...process.env, ...env[app] } })).stdout.trim();
    const [manager, worker, guardian] = [
      await fingerprint('manager'),
      await fingerprint('worker'),
      await fingerprint('guardian'),
    ];
    for (const node of ['worker', 'guardian'] as const) {
      await writeFile(join(dir, node, 'trusted-manager'), `${manager}\n`, { mode: 0o600 });
    }
    const processes = APPS.map((app) => launch(app, dir, env[app]));
    const system = new System(dir, `http://127.0.0.1:${apiPort}`, token, processes, env, netns);
    await eventually(async () => ((await fetch(`${system.api}/health`)).ok ? true : undefined), 30_000).catch(
      async (error: Error) => {
        throw new Error(`${error.message}\n${await system.logs()}`);
      },
    );
    // Enrolled the way an admin (and scripts/up.sh) does it: through the Manager's command line and API.
    await system.cli('manager', 'enrol', 'guardian', 'guardian', `wss://127.0.0.1:${guardianPort}`, guardian);
    await system.cli(
      'manager',
      'enrol',
      'worker',
      'worker',
      `wss://127.0.0.1:${workerPort}`,
      worker,
      'guardian',
    );
    await eventually(async () => {
      const health = (await (await fetch(`${system.api}/health`)).json()) as {
        worker: boolean;
        guardian: boolean;
      };
      return health.worker && health.guardian ? true : undefined;
    }, 30_000).catch(async (error: Error) => {
      throw new Error(`${error.message}\n${await system.logs()}`);
    });
    return system;
  }

  /** The environment the Worker runs with; a second node's Worker starts from it. */
  get workerEnv(): Record<string, string> {
    return { ...this.env.worker };
  }

  /** The environment the Guardian runs with; a second node's Guardian starts from it. */
  get guardianEnv(): Record<string, string> {
    return { ...this.env.guardian };
  }

  /** The Worker's bare repositories. */
  get reposDir(): string {
    return join(this.dir, REPOS);
  }

  /** The Worker's checkouts, one directory per project, one per attempt in it. */
  get checkoutsDir(): string {
    return join(this.dir, CHECKOUTS);
  }

  /** Where the data of `org/repo`'s bind mount of `relative` (a path its commits do not have) is kept. */
  dataDir(org: string, repo: string, relative: string): string {
    return join(this.dir, DATA, composeProjectName(org, repo), 'mounts', encodeURIComponent(relative));
  }

  /** The Manager's database. */
  get mongoUrl(): string {
    return this.env.manager.MONGO_URL;
  }

  /** The process id of a running app (e.g. to read its CPU time from /proc). */
  pid(app: App): number {
    const pid = this.processes[APPS.indexOf(app)].pid;
    if (pid === undefined) throw new Error(`${app} is not running`);
    return pid;
  }

  /** Where an app's output goes (its JSON log lines). */
  logFile(app: App): string {
    return join(this.dir, `${app}.log`);
  }

  /** Runs an app's command line (`main.js <args>`) with that app's environment; resolves with its output. */
  async cli(app: App, ...args: string[]): Promise<string> {
    return (await run('node', [main(app), ...args], { env: { ...process.env, ...this.env[app] } })).stdout;
  }

  /** Sends a signal to one of the running apps (e.g. SIGHUP to reload a node's key). */
  signal(app: App, signal: NodeJS.Signals): void {
    this.processes[APPS.indexOf(app)].kill(signal);
  }

  /**
   * Removes what dockerd holds of a project (containers, networks, volumes, built images): clean-up that works
   * whatever state its deployment ended in.
   */
  async composeDown(org: string, repo: string): Promise<void> {
    // Both compose projects a routed project's versions take turns in.
    await removeComposeObjects(...slotNames(org, repo));
  }

  /**
   * Stops one of the apps (SIGTERM) and starts it again with the same state, and settings changed by `env`;
   * `whileStopped` runs in between (what the stopped app would otherwise undo or read on start).
   */
  async restart(
    app: App,
    env: Record<string, string> = {},
    whileStopped: () => Promise<unknown> = async () => undefined,
  ): Promise<void> {
    await this.relaunch(app, 'SIGTERM', env, whileStopped);
  }

  /** As `restart`, but the app is killed (SIGKILL) as a crash ends it: nothing of its shutdown runs. */
  async crash(app: App, whileStopped: () => Promise<unknown> = async () => undefined): Promise<void> {
    await this.relaunch(app, 'SIGKILL', {}, whileStopped);
  }

  private async relaunch(
    app: App,
    signal: NodeJS.Signals,
    env: Record<string, string>,
    whileStopped: () => Promise<unknown>,
  ): Promise<void> {
    await stopProcess(this.processes[APPS.indexOf(app)], signal);
    await whileStopped();
    Object.assign(this.env[app], env);
    this.processes[APPS.indexOf(app)] = launch(app, this.dir, this.env[app]);
  }

  /** The deployments of one repository, newest first. */
  async deploymentsOf(repo: string): Promise<DeploymentSummary[]> {
    const { body } = await this.call<DeploymentSummary[]>('GET', '/deployments');
    return body.filter((view) => view.repo === repo);
  }

  /** Calls the Manager's REST API as the admin, or as whoever `token` belongs to. */
  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: object,
    token = this.token,
  ): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.api}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body && JSON.stringify(body),
    });
    const text = await res.text();
    const parsed = (text ? JSON.parse(text) : null) as T;
    this.answers ??= await DocumentedAnswers.of(this.api);
    this.answers.check(method, path, res.status, parsed);
    return { status: res.status, body: parsed };
  }

  async logs(): Promise<string> {
    const parts = await Promise.all(
      (['manager', 'worker', 'guardian'] as const).map(
        async (app) => `--- ${app}\n${await readFile(this.logFile(app), 'utf8').catch(() => '')}`,
      ),
    );
    return parts.join('\n');
  }

  async stop(): Promise<void> {
    await Promise.all(this.processes.map((child) => stopProcess(child)));
    await this.guardianNetns.delete();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Starts an app from the build, its output appended to `<dir>/<app>.log`. */
export function launch(app: App, dir: string, env: Record<string, string>): ChildProcess {
  const child = spawn('node', [main(app)], {
    env: { ...process.env, LOG_LEVEL: 'debug', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(join(dir, `${app}.log`), { flags: 'a' });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  return child;
}

export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    child.kill(signal);
  });
}

export function main(app: App): string {
  return join(DIST, app, 'src', 'main.js');
}
