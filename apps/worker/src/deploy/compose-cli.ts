import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ComposeSandbox } from './compose-sandbox';
import { LineAssembler } from './line-assembler';

/**
 * A compose project as one run of compose sees it: its name, the compose file, the dotenv file it interpolates
 * from, and everything else of the host it may read (the checkout). Compose runs in a sandbox that holds
 * only these (compose-sandbox.ts).
 */
export interface ComposeProject {
  name: string;
  file: string;
  /** Read-only in the sandbox besides `file` and `envFile`: the project's checkout. */
  readable: readonly string[];
  /** `--env-file`: the variables compose may interpolate (empty for none: compose then reads no `.env` itself). */
  envFile: string;
}

/**
 * A compose command failed; `reason` is a fixed summary (which command, how it ended), safe to record, and
 * `output` holds the last lines compose printed, for logs only.
 */
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
 * `td_<org>_<repo>`: the organisation (letters, digits and "-") and the repository lowercased, anything in the
 * repository's name but letters, digits and "-" turned into "-", and then, if anything was turned, a short hash
 * of the real name appended (`my.app` and `my_app` must not share a project). So a project name holds exactly
 * two "_", and every name compose derives from it (`<project>_<service>_1`, `<project>_<volume>`: compose runs
 * with `--compatibility`, which keeps "_" as its separator in v2 too) belongs to exactly one project.
 */
export function composeProjectName(org: string, repo: string): string {
  const source = `${org}/${repo}`.toLowerCase();
  const wanted = repo.toLowerCase();
  const name = wanted.replace(/[^a-z0-9-]/g, '-');
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 8);
  return `td_${org.toLowerCase()}_${name === wanted ? name : `${name}-${hash}`}`;
}

export interface ComposeCliOptions {
  /** Where every compose run happens. */
  sandbox: ComposeSandbox;
  /**
   * Skips detection, e.g. `['docker-compose']` or the path of a compose v2 binary; a program outside `/usr`
   * must be given to the sandbox too.
   */
  command?: readonly string[];
  /** A compose run still going after this long is killed; defaults to 15 minutes (builds can be slow). */
  timeoutMs?: number;
}

const TAIL_LINES = 50;
/** A rendering larger than this is no compose file anyone wrote: compose is stopped. */
const MAX_STDOUT_BYTES = 8 * 1024 * 1024;

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;

/**
 * Runs `docker compose` (v2) where it exists, else Debian's `docker-compose` 1.29, always in the sandbox and
 * always with `--compatibility` (v1 then applies `deploy.resources`, v2 names containers and images with "_").
 */
export class ComposeCli {
  private detected?: Promise<readonly string[]>;
  private readonly timeoutMs: number;
  private readonly sandbox: ComposeSandbox;

  constructor(options: ComposeCliOptions) {
    if (options.command) this.detected = Promise.resolve([...options.command]);
    this.timeoutMs = options.timeoutMs ?? 15 * 60_000;
    this.sandbox = options.sandbox;
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
  async render(project: ComposeProject, onOutput?: (line: string) => void): Promise<string> {
    const stdout: Buffer[] = [];
    await this.run(project, ['config'], onOutput, stdout);
    return Buffer.concat(stdout).toString('utf8');
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
      const child = spawn('docker', ['compose', 'version'], { stdio: 'ignore' });
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
    /** Collects standard output as it is (at most MAX_STDOUT_BYTES), instead of as lines of progress. */
    stdout?: Buffer[],
  ): Promise<void> {
    const [bin, ...prefix] = await this.command();
    const label = `${[bin, ...prefix].join(' ')} ${subcommand[0]}`;
    try {
      await fs.access(project.file);
    } catch {
      throw new ComposeError(`${label} for ${project.name}: compose file ${project.file} does not exist`);
    }
    const readable = [project.file, project.envFile, ...project.readable];
    const args = [
      ...prefix,
      '--compatibility',
      '--env-file',
      project.envFile,
      '-p',
      project.name,
      '-f',
      project.file,
      ...subcommand,
    ];
    const { argv, scratch } = await this.sandbox.wrap([bin, ...args], {
      readable,
      cwd: path.dirname(project.file),
    });

    const tail: string[] = [];
    let tooMuch = false;
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
      const [sandbox, ...sandboxArgs] = argv;
      const child = spawn(sandbox, sandboxArgs, { env: {}, stdio: ['ignore', 'pipe', 'pipe'] });
      if (stdout) {
        let bytes = 0;
        child.stdout.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes <= MAX_STDOUT_BYTES) stdout.push(chunk);
          else if (!tooMuch) {
            tooMuch = true;
            child.kill('SIGKILL');
          }
        });
      }
      for (const stream of stdout ? [child.stderr] : [child.stdout, child.stderr]) {
        const lines = new LineAssembler(
          (text) => {
            const line = text.replace(ANSI, '').trimEnd();
            if (line) emit(line);
          },
          { carriageReturns: true },
        );
        stream.on('data', (chunk: Buffer) => lines.push(chunk));
        stream.on('end', () => lines.end());
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
              ? `${sandbox} is not installed: install bubblewrap, which compose runs in`
              : `${label} for ${project.name} could not start: ${err.message}`,
          ),
        );
      });
      child.on('close', (exitCode, exitSignal) => {
        clearTimeout(timer);
        clearTimeout(killer);
        resolve({ code: exitCode, signal: exitSignal, timedOut });
      });
    }).finally(() => fs.rm(scratch, { recursive: true, force: true }));

    if (code === 0 && !timedOut && !tooMuch) return;
    const why = tooMuch
      ? `printed more than ${MAX_STDOUT_BYTES / 1024 / 1024} MiB`
      : timedOut
        ? `timed out after ${Math.round(this.timeoutMs / 1000)} s`
        : code === null
          ? `was killed by ${signal}`
          : `failed (exit code ${code})`;
    // Only a fixed summary: the output (a build's, say) can hold secrets, and a reason is kept in the event log.
    const where = onOutput ? ": its output is in the deployment's logs" : '';
    throw new ComposeError(`${label} for ${project.name} ${why}${where}`, code, [...tail]);
  }
}
