import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export type ComposeProject = { name: string; file: string };

/** A compose command failed; `reason` names the problem and ends with the last lines compose printed. */
export class ComposeError extends Error {
  override readonly name = 'ComposeError';

  constructor(
    readonly reason: string,
    readonly exitCode: number | null = null,
    readonly output: readonly string[] = [],
  ) {
    super(reason);
  }
}

/**
 * `td_<org>_<repo>`, lowercased, anything outside [a-z0-9_-] turned into "_". Only "." can be lost that way
 * (org names have no "_" or "."), so `my.app` and `my_app` would share a project and one's `down` would stop
 * the other: such names get a short hash of the original appended.
 */
export function composeProjectName(org: string, repo: string): string {
  const wanted = `td_${org}_${repo}`.toLowerCase();
  const name = wanted.replace(/[^a-z0-9_-]/g, '_');
  if (name === wanted) return name;
  const hash = createHash('sha256').update(`${org}/${repo}`.toLowerCase()).digest('hex').slice(0, 8);
  return `${name}_${hash}`;
}

export interface ComposeCliOptions {
  /** Skips detection, e.g. `['docker-compose']`. */
  command?: readonly string[];
  /** A compose run still going after this long is killed; defaults to 15 minutes (builds can be slow). */
  timeoutMs?: number;
  /** Extra variables for compose, on top of the short list passed through from the worker's environment. */
  env?: Record<string, string>;
}

const TAIL_LINES = 50;

// The compose file is user input and interpolates ${VAR} from compose's environment: hand it only what the
// docker CLI needs, so a deployment cannot read the worker's own secrets into its containers.
const PASSED_ENV = [
  'PATH',
  'HOME',
  'LANG',
  'LC_ALL',
  'TMPDIR',
  'XDG_RUNTIME_DIR',
  'DOCKER_HOST',
  'DOCKER_CONTEXT',
  'DOCKER_CONFIG',
  'DOCKER_CERT_PATH',
  'DOCKER_TLS_VERIFY',
  'DOCKER_BUILDKIT',
  'COMPOSE_DOCKER_CLI_BUILD',
];

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;

/** Runs `docker compose` (v2) where it exists, else Debian's `docker-compose` 1.29. */
export class ComposeCli {
  private detected?: Promise<readonly string[]>;
  private readonly timeoutMs: number;
  private readonly env: Record<string, string>;

  constructor(options: ComposeCliOptions = {}) {
    if (options.command) this.detected = Promise.resolve([...options.command]);
    this.timeoutMs = options.timeoutMs ?? 15 * 60_000;
    const env: Record<string, string> = {};
    for (const key of PASSED_ENV) {
      const value = process.env[key];
      if (value !== undefined) env[key] = value;
    }
    this.env = { ...env, ...options.env };
  }

  /** The command prefix in use, e.g. `['docker', 'compose']`; probed once per instance. */
  command(): Promise<readonly string[]> {
    this.detected ??= this.detect();
    return this.detected;
  }

  /** Builds and (re)starts the project; services no longer in the file are removed. */
  async up(project: ComposeProject, onOutput?: (line: string) => void): Promise<void> {
    await this.run(project, ['up', '-d', '--build', '--remove-orphans'], onOutput);
  }

  /**
   * The project's compose file as compose itself reads it (`config`): interpolated, merged, env files read in,
   * paths made absolute. Nothing is run. The deploy policy checks this, not the file as written.
   */
  async render(project: ComposeProject): Promise<string> {
    const stdout: string[] = [];
    await this.run(project, ['config'], undefined, stdout);
    return stdout.join('');
  }

  /** Stops the project's containers, keeping them. */
  async stop(project: ComposeProject, onOutput?: (line: string) => void): Promise<void> {
    await this.run(project, ['stop'], onOutput);
  }

  /** Starts the project's stopped containers. */
  async start(project: ComposeProject, onOutput?: (line: string) => void): Promise<void> {
    await this.run(project, ['start'], onOutput);
  }

  async restart(project: ComposeProject, onOutput?: (line: string) => void): Promise<void> {
    await this.run(project, ['restart'], onOutput);
  }

  /**
   * Removes the project: containers, networks and the images it built; its named volumes only with
   * `volumes` (they hold user data).
   */
  async remove(project: ComposeProject, volumes: boolean, onOutput?: (line: string) => void): Promise<void> {
    await this.run(
      project,
      ['down', '--remove-orphans', '--rmi', 'local', ...(volumes ? ['-v'] : [])],
      onOutput,
    );
  }

  private async detect(): Promise<readonly string[]> {
    const v2 = await new Promise<boolean>((resolve) => {
      const child = spawn('docker', ['compose', 'version'], { stdio: 'ignore', env: this.env });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.on('error', () => resolve(false));
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve(code === 0);
      });
    });
    return v2 ? ['docker', 'compose'] : ['docker-compose'];
  }

  private async run(
    project: ComposeProject,
    subcommand: string[],
    onOutput?: (line: string) => void,
    /** Collects standard output as it is, instead of as lines of progress. */
    stdout?: string[],
  ): Promise<void> {
    const [bin, ...prefix] = await this.command();
    const isV1 = path.basename(bin) === 'docker-compose';
    const label = `${[bin, ...prefix].join(' ')} ${subcommand[0]}`;
    try {
      await fs.access(project.file);
    } catch {
      throw new ComposeError(`${label} for ${project.name}: compose file ${project.file} does not exist`);
    }
    const args = [
      ...prefix,
      // v1 ignores deploy.resources (the limits policy sets) unless asked to translate them.
      ...(isV1 ? ['--compatibility'] : []),
      '-p',
      project.name,
      '-f',
      project.file,
      ...subcommand,
    ];

    const tail: string[] = [];
    const emit = (line: string) => {
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      onOutput?.(line);
    };

    const { code, signal, timedOut } = await new Promise<{
      code: number | null;
      signal: NodeJS.Signals | null;
      timedOut: boolean;
    }>((resolve, reject) => {
      const child = spawn(bin, args, {
        cwd: path.dirname(project.file),
        env: this.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      if (stdout) {
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (chunk: string) => stdout.push(chunk));
      }
      for (const stream of stdout ? [child.stderr] : [child.stdout, child.stderr]) {
        let partial = '';
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => {
          // Progress output rewrites its line with "\r"; each rewrite counts as a line.
          const parts = (partial + chunk).split(/\r\n|\r|\n/);
          partial = parts.pop() ?? '';
          for (const part of parts) {
            const line = part.replace(ANSI, '').trimEnd();
            if (line) emit(line);
          }
        });
        stream.on('end', () => {
          const line = partial.replace(ANSI, '').trimEnd();
          partial = '';
          if (line) emit(line);
        });
      }
      let timedOut = false;
      let killer: NodeJS.Timeout | undefined;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGTERM');
        killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      }, this.timeoutMs);
      child.on('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        clearTimeout(killer);
        reject(
          new ComposeError(
            err.code === 'ENOENT'
              ? `${bin} is not installed: install docker compose v2 or docker-compose`
              : `${label} for ${project.name} could not start: ${err.message}`,
          ),
        );
      });
      child.on('close', (exitCode, exitSignal) => {
        clearTimeout(timer);
        clearTimeout(killer);
        resolve({ code: exitCode, signal: exitSignal, timedOut });
      });
    });

    if (code === 0 && !timedOut) return;
    const why = timedOut
      ? `timed out after ${Math.round(this.timeoutMs / 1000)} s`
      : code === null
        ? `was killed by ${signal}`
        : `failed (exit code ${code})`;
    const output = tail.length ? `; last output:\n${tail.join('\n')}` : '';
    throw new ComposeError(`${label} for ${project.name} ${why}${output}`, code, [...tail]);
  }
}
