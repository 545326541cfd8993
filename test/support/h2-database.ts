import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { freePort, waitForPort } from './ports';

const SERVER_DIR = process.env.TD_MONGO_SERVER_DIR ?? '/opt/testausdeploy/mongo-server';

/** A database user the server asks for (SCRAM-SHA-256), its password in a file, as in production. */
export interface DatabaseUser {
  user: string;
  passwordFile: string;
}

/**
 * The quick start's database, mongo-java-server with its H2 backend in one file (what scripts/lib.sh builds and
 * `up.sh` runs), as a process a test can kill -9 and start again on the same file and port; with `user`, it
 * refuses every connection that has not authenticated as that user.
 */
export class H2Database {
  private process: ChildProcess | null = null;

  private constructor(
    readonly file: string,
    readonly port: number,
    private readonly user?: DatabaseUser,
  ) {}

  static async start(file: string, user?: DatabaseUser): Promise<H2Database> {
    const database = new H2Database(file, await freePort(), user);
    await database.restart();
    return database;
  }

  get url(): string {
    return `mongodb://127.0.0.1:${this.port}`;
  }

  async restart(): Promise<void> {
    const args = ['--backend=h2', `--port=${this.port}`, `--file=${this.file}`];
    if (this.user) args.push(`--user=${this.user.user}`, `--password-file=${this.user.passwordFile}`);
    this.process = spawn(
      'java',
      ['-Xmx512m', '-cp', `${SERVER_DIR}/lib/*:${SERVER_DIR}/classes`, 'MongoWireServer', ...args],
      {
        stdio: 'ignore',
      },
    );
    await waitForPort(this.port, 30_000);
  }

  /** SIGKILL: no shutdown hook, no last commit. */
  async kill(): Promise<void> {
    const running = this.process;
    this.process = null;
    if (!running || running.exitCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGKILL');
    await exited;
  }
}
