import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { restartablePort } from './ports';

const SERVER_DIR = process.env.TD_MONGO_SERVER_DIR ?? '/opt/testausdeploy/mongo-server';

/** A database user the server asks for (SCRAM-SHA-256), its password in a file, as in production. */
export interface DatabaseUser {
  user: string;
  passwordFile: string;
}

/**
 * Resolves once `server` itself says it listens (so a port some other process took while it was down is not
 * mistaken for it), or fails with what it wrote to stderr when it exits first or takes over 30 s.
 */
function listening(server: ChildProcess, port: number): Promise<void> {
  let errors = '';
  server.stderr?.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(0, 2000)));
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      server.kill('SIGKILL');
      reject(new Error(`the database server on 127.0.0.1:${port} ${why}: ${errors.trim()}`));
    };
    const timer = setTimeout(() => fail('did not listen within 30 s'), 30_000);
    const exited = (code: number | null) => fail(`exited with ${code}`);
    server.once('exit', exited);
    let output = '';
    server.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes(`listening on 127.0.0.1:${port}`)) return;
      clearTimeout(timer);
      server.off('exit', exited);
      resolve();
    });
  });
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
    const database = new H2Database(file, await restartablePort(), user);
    await database.restart();
    return database;
  }

  get url(): string {
    return `mongodb://127.0.0.1:${this.port}`;
  }

  async restart(): Promise<void> {
    const args = ['--backend=h2', `--port=${this.port}`, `--file=${this.file}`];
    if (this.user) args.push(`--user=${this.user.user}`, `--password-file=${this.user.passwordFile}`);
    const server = spawn(
      'java',
      ['-Xmx512m', '-cp', `${SERVER_DIR}/lib/*:${SERVER_DIR}/classes`, 'MongoWireServer', ...args],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.process = server;
    await listening(server, this.port);
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
