/**
 * Member containers benchmark: the Worker's container commands (in this process, through their handlers, as
 * the ICP dispatcher runs them) against the same operations done directly with the `lxc` CLI in the same run,
 * on the base image: create until an SSH login as the member succeeds, snapshot, restore until sshd answers,
 * export an uncompressed backup. `npm run bench:lxc`; figures go to docs/performance.md. Needs LXD and the
 * image that `npm test` sets up (ensure_lxd, ensure_lxd_image).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { ContainerCommandsUnderTest } from '../../test/support/member-containers';
import { ssh, sshKeyPair } from '../../test/support/ssh';
import { freePort } from '../../test/support/ports';
import { percentile, Row, table, timed } from '../measure';

const run = promisify(execFile);
const IMAGE = 'testausdeploy/bookworm';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const limits = { cpus: 1, memoryMiB: 512, diskGiB: 4 };
const log = (line: string) => process.stderr.write(`${line}\n`);
/** `lxc` with an empty stdin: `lxc init` reads instance YAML from a stdin that is not a terminal. */
function lxc(...args: string[]) {
  const running = run('lxc', args, { maxBuffer: 16 * 1024 * 1024 });
  running.child.stdin?.end();
  return running;
}

// The same steps as the Worker's set-up script, by hand.
const ADD_USER = `useradd --create-home --shell /bin/bash --user-group --groups sudo member
install -d -m 0700 -o member -g member /home/member/.ssh`;

async function untilLogin(key: string, port: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await ssh(key, port, 'member', 'true').then(
      () => true,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`no SSH login on 127.0.0.1:${port} within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface Times {
  create: number;
  snapshot: number;
  restore: number;
  export: number;
}

async function platform(
  commands: ContainerCommandsUnderTest,
  name: string,
  key: { key: string; publicKey: string },
): Promise<Times> {
  const sshPort = await freePort();
  const create = await timed(async () => {
    await commands.call('createContainer', {
      name,
      image: IMAGE,
      limits,
      user: 'member',
      sshKeys: [key.publicKey],
      sshPort,
      nesting: false,
    });
    await untilLogin(key.key, sshPort);
  });
  const snapshot = await timed(() => commands.call('createSnapshot', { name, snapshot: 'bench' }));
  const restore = await timed(() => commands.call('restoreSnapshot', { name, snapshot: 'bench' }));
  const exported = await timed(() =>
    commands.call('exportBackup', { name, backup: 'bench', maxBytes: 2 ** 40 }),
  );
  await commands.call('deleteContainer', { name });
  await commands.call('deleteBackup', { name, backup: 'bench' });
  return { create: create.ms, snapshot: snapshot.ms, restore: restore.ms, export: exported.ms };
}

async function bare(name: string, key: { key: string; publicKey: string }, dir: string): Promise<Times> {
  const sshPort = await freePort();
  const create = await timed(async () => {
    await lxc(
      'init',
      IMAGE,
      name,
      ...['-c', 'security.privileged=false', '-c', 'limits.cpu=1', '-c', 'limits.memory=512MiB'],
      ...['-c', 'limits.processes=2000', '-d', 'root,size=4GiB'],
    );
    await lxc(
      'config',
      'device',
      'add',
      name,
      'ssh',
      'proxy',
      `listen=tcp:127.0.0.1:${sshPort}`,
      'connect=tcp:127.0.0.1:22',
    );
    await lxc('start', name);
    await lxc('exec', name, '--', 'sh', '-c', ADD_USER);
    await fs.writeFile(path.join(dir, 'authorized_keys'), `${key.publicKey}\n`);
    const [uid, gid] = (await lxc('exec', name, '--', 'sh', '-c', 'id -u member; id -g member')).stdout.split(
      '\n',
    );
    await lxc(
      'file',
      'push',
      path.join(dir, 'authorized_keys'),
      `${name}/home/member/.ssh/authorized_keys`,
      ...['--uid', uid, '--gid', gid, '--mode', '0600'],
    );
    await untilLogin(key.key, sshPort);
  });
  const snapshot = await timed(() => lxc('snapshot', name, 'bench'));
  const restore = await timed(async () => {
    await lxc('restore', name, 'bench');
    await untilLogin(key.key, sshPort);
  });
  const file = path.join(dir, `${name}.tar`);
  const exported = await timed(() => lxc('export', name, file, '--instance-only', '--compression', 'none'));
  await lxc('delete', '--force', name);
  await fs.rm(file, { force: true });
  return { create: create.ms, snapshot: snapshot.ms, restore: restore.ms, export: exported.ms };
}

async function main(): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'td-bench-lxc-'));
  const prefix = `td-bench${randomBytes(2).toString('hex')}`;
  const commands = await ContainerCommandsUnderTest.start({
    LXD_SOCKET: process.env.LXD_SOCKET,
    BACKUP_DIR: path.join(dir, 'backups'),
  });
  const ours: Times[] = [];
  const theirs: Times[] = [];
  try {
    const key = await sshKeyPair(path.join(dir, 'bench'));
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which goes first, so that neither always meets a warmer page cache.
      const steps = [
        async () => ours.push(await platform(commands, `${prefix}-p${round}`, key)),
        async () => theirs.push(await bare(`${prefix}-l${round}`, key, dir)),
      ];
      for (const step of round % 2 ? steps.reverse() : steps) await step();
      log(`round ${round + 1}/${ROUNDS}: ${JSON.stringify({ ours: ours.at(-1), lxc: theirs.at(-1) })}`);
    }
  } finally {
    await commands.stop();
    for (const line of (await lxc('list', '-c', 'n', '--format', 'csv')).stdout.split('\n')) {
      if (line.startsWith(`${prefix}-`)) await lxc('delete', '--force', line);
    }
    await fs.rm(dir, { recursive: true, force: true });
  }
  const median = (times: Times[], figure: keyof Times) =>
    percentile(
      times.map((t) => t[figure]),
      50,
    );
  const figures: [keyof Times, string][] = [
    ['create', 'create until SSH login (median)'],
    ['snapshot', 'snapshot (median)'],
    ['restore', 'restore until sshd answers (median)'],
    ['export', 'export, uncompressed (median)'],
  ];
  const rows: Row[] = figures.map(([figure, label]) => ({
    figure: label,
    store: median(ours, figure),
    baseline: median(theirs, figure),
    unit: 'ms',
    better: 'lower',
    goal: 1 / 1.2,
  }));
  console.log(`${ROUNDS} rounds; baseline: the lxc CLI doing the same steps\n`);
  console.log(table(rows, 'worker'));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
