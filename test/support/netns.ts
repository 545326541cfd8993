import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A node one-liner: a TCP server on HOST:PORT that answers every connection with REPLY and closes. */
const SERVER = `require('net').createServer((s) => s.end(process.argv[3])).listen(+process.argv[2], process.argv[1], () => console.log('ready'))`;
/** Connects to HOST:PORT and prints what it reads; exits 1 if no answer within the timeout. */
const CLIENT = `const s = require('net').connect(+process.argv[2], process.argv[1]); let out = ''; s.setTimeout(+process.argv[3], () => process.exit(1)); s.on('data', (d) => (out += d)); s.on('end', () => { console.log(out); process.exit(0); }); s.on('error', () => process.exit(1))`;

/**
 * A network namespace the test makes (`ip netns add`) and deletes with everything in it, so firewall tests never
 * touch the host's own rules. Processes started in it are stopped on `delete`.
 */
export class NetworkNamespace {
  private readonly processes: ChildProcess[] = [];

  private constructor(readonly name: string) {}

  static async create(label: string): Promise<NetworkNamespace> {
    const name = `td-${label}-${randomBytes(3).toString('hex')}`;
    await run('ip', ['netns', 'add', name]);
    const ns = new NetworkNamespace(name);
    await ns.ip('link', 'set', 'lo', 'up');
    return ns;
  }

  /** Runs a command inside the namespace and returns its stdout. */
  async exec(command: string, ...args: string[]): Promise<string> {
    return (await run('ip', ['netns', 'exec', this.name, command, ...args], { maxBuffer: 64 << 20 })).stdout;
  }

  ip(...args: string[]): Promise<string> {
    return this.exec('ip', ...args);
  }

  /**
   * A veth pair between this namespace (`local`, with `address` unless it joins a bridge) and `peer` (`remote`,
   * with `peerAddress`).
   */
  async link(
    local: string,
    address: string | null,
    peer: NetworkNamespace,
    remote: string,
    peerAddress: string,
  ) {
    await this.ip('link', 'add', local, 'type', 'veth', 'peer', 'name', remote, 'netns', peer.name);
    if (address) await this.ip('addr', 'add', address, 'dev', local);
    await this.ip('link', 'set', local, 'up');
    await peer.ip('addr', 'add', peerAddress, 'dev', remote);
    await peer.ip('link', 'set', remote, 'up');
  }

  /** A long-running process in the namespace, stopped with it. */
  spawn(command: string, args: string[], options: { nsenter?: boolean } = {}): ChildProcess {
    // `ip netns exec` remounts /sys, which hides the cgroup mounts dockerd needs; nsenter enters the network only.
    const [file, argv] = options.nsenter
      ? ['nsenter', [`--net=/var/run/netns/${this.name}`, command, ...args]]
      : ['ip', ['netns', 'exec', this.name, command, ...args]];
    const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.processes.push(child);
    return child;
  }

  /** A TCP server on `host:port` that answers `reply`; resolves once it listens. */
  async serve(host: string, port: number, reply: string): Promise<void> {
    const child = this.spawn(process.execPath, ['-e', SERVER, host, String(port), reply]);
    await new Promise<void>((resolve, reject) => {
      child.stdout?.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`server on ${host}:${port} exited (${code})`)));
    });
  }

  /** What a TCP server at `host:port` answers from inside this namespace, or null if none does in time. */
  async fetch(host: string, port: number, timeoutMs = 1000): Promise<string | null> {
    return this.exec(process.execPath, '-e', CLIENT, host, String(port), String(timeoutMs)).then(
      (out) => out.trim(),
      () => null,
    );
  }

  /**
   * A dockerd of its own in this namespace (state in a temporary directory), as on a host that runs Docker:
   * it sets the FORWARD policy to DROP and makes DOCKER-USER. Resolves when it answers.
   */
  async startDockerd(): Promise<Dockerd> {
    const dir = await mkdtemp(join(tmpdir(), 'netns-dockerd-'));
    const socket = `unix://${dir}/docker.sock`;
    // Its own key, as on a host of its own: Docker 20.10 derives the engine's ID from the key, by default the
    // host dockerd's /etc/docker/key.json, and a Manager refuses a move between two Workers of one engine ID.
    // The key's path is a setting of daemon.json only (no flag for it in Debian's dockerd).
    await writeFile(join(dir, 'daemon.json'), JSON.stringify({ 'deprecated-key-path': `${dir}/key.json` }));
    const args = [
      '--config-file',
      `${dir}/daemon.json`,
      '--data-root',
      `${dir}/data`,
      '--exec-root',
      `${dir}/exec`,
      '--pidfile',
      `${dir}/docker.pid`,
    ];
    const child = this.spawn('dockerd', [...args, '-H', socket, '--bridge=none', '--storage-driver=vfs'], {
      nsenter: true,
    });
    const dockerd = new Dockerd(child, dir, socket);
    await dockerd.ready();
    return dockerd;
  }

  async delete(): Promise<void> {
    for (const child of this.processes) child.kill('SIGKILL');
    await run('ip', ['netns', 'delete', this.name]).catch(() => undefined);
  }
}

export class Dockerd {
  constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    /** Where it answers, for `DOCKER_HOST` and `docker -H`: `unix://…/docker.sock`. */
    readonly socket: string,
  ) {}

  async ready(): Promise<void> {
    for (let i = 0; i < 120; i++) {
      if (this.child.exitCode !== null) throw new Error(`dockerd exited with ${this.child.exitCode}`);
      const ok = await run('docker', ['-H', this.socket, 'info']).then(
        () => true,
        () => false,
      );
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error('dockerd did not answer within 30 s');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}
