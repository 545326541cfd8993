import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { eventually } from './support/ports';
import { ssh, sshKeyPair, sshWhenUp } from './support/ssh';
import { System } from './support/system';
import { WebhookReceiver } from './support/webhook-receiver';

const run = promisify(execFile);

interface ContainerView {
  name: string;
  owner: string;
  status: string;
  ipv4: string | null;
  sshPort: number;
  message?: string;
  live?: { status: string; usage: { memoryBytes: number } } | null;
  node: string | null;
  placement: { rule: string; reason: string } | null;
}

type Call = (method: string, path: string, body?: object) => Promise<{ status: number; body: ContainerView }>;

/** The network of the LXD bridge the Worker puts containers on: the Guardian may forward only into it. */
async function bridgeSubnet(): Promise<string> {
  return (await run('bash', ['-c', 'source scripts/lib.sh && lxd_bridge_subnet'])).stdout.trim();
}

/*
 * A member's container through the Manager's API, made by the Worker in the real LXD and reached over SSH on
 * 127.0.0.1 with the member's key: snapshot and restore, export a backup, delete, restore the backup as a new
 * container and log in again. Another member gets what a name never used gets, also after taking the name of
 * a deleted container (the integration tests list every route).
 */
describe('end to end: members’ containers in LXD, reached over SSH', () => {
  let system: System;
  let key: { key: string; publicKey: string };
  let backupDir: string;
  let alice: Call;
  let bob: Call;
  const name = `e2e-${randomBytes(3).toString('hex')}`;
  const copy = `${name}-copy`;
  const limits = { cpus: 1, memoryMiB: 512, diskGiB: 2 };

  before(async () => {
    backupDir = await mkdtemp(join(tmpdir(), 'backups-'));
    system = await System.start({
      allowedOrgs: 'none',
      gitBaseUrl: 'http://127.0.0.1:9',
      env: {
        manager: { CONTAINER_SSH_PORTS: '42000-42999', SCHEDULE_TICK_MS: '500' },
        worker: { BACKUP_DIR: backupDir },
        guardian: { CONTAINER_SUBNETS: await bridgeSubnet() },
      },
    });
    key = await sshKeyPair(join(system.dir, 'member-key'));
    const member = async (who: string): Promise<Call> => {
      const { body } = await system.call<{ token: string }>('POST', '/members', { name: who });
      return (method, path, payload) => system.call<ContainerView>(method, path, payload, body.token);
    };
    [alice, bob] = [await member('alice'), await member('bob')];
  });

  after(async () => {
    for (const container of [name, copy])
      await run('lxc', ['delete', '--force', container]).catch(() => undefined);
    await system.stop();
    await rm(backupDir, { recursive: true, force: true });
  });

  it("creates a member's container that takes their key over SSH, and forwards its port through the Guardian", async () => {
    const created = await alice('POST', '/containers', { name, limits, sshKeys: [key.publicKey] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.status, 'running');
    assert.equal(created.body.owner, 'alice');
    const { sshPort, ipv4 } = created.body;
    assert.equal(
      await sshWhenUp(key.key, sshPort, 'alice', 'echo kept > notes && sudo -n true && echo ok'),
      'ok\n',
    );
    // The root disk's size is a quota the btrfs pool enforces: 3 GiB do not fit in 2.
    await assert.rejects(ssh(key.key, sshPort, 'alice', 'fallocate -l 3G big'), /Disk quota exceeded/);

    const shown = await alice('GET', `/containers/${name}`);
    assert.equal(shown.body.live?.status, 'Running');
    assert.ok((shown.body.live?.usage.memoryBytes ?? 0) > 0);
    const firewall = await system.call<{ desired: { forwards: object[] } }>('GET', '/firewall');
    assert.deepEqual(firewall.body.desired.forwards, [
      { owner: `container:${name}`, protocol: 'tcp', hostPort: sshPort, address: ipv4, port: 22 },
    ]);
    const map = await system.guardianNetns.exec('nft', 'list', 'map', 'inet', 'testausdeploy', 'forward_tcp');
    assert.match(map, new RegExp(`${sshPort} : ${ipv4!.replace(/\./g, '\\.')} \\. 22`));

    assert.equal((await bob('GET', `/containers/${name}`)).status, 404);
    assert.equal((await bob('POST', `/containers/${name}/stop`)).status, 404);
  });

  it('restores a snapshot: a file deleted after it is back', async () => {
    const { sshPort } = (await alice('GET', `/containers/${name}`)).body;
    assert.equal((await alice('POST', `/containers/${name}/snapshots`, { snapshot: 'before' })).status, 201);
    await ssh(key.key, sshPort, 'alice', 'rm notes');
    const restored = await alice('POST', `/containers/${name}/snapshots/before/restore`);
    assert.equal(restored.status, 200, JSON.stringify(restored.body));
    assert.equal(await sshWhenUp(key.key, sshPort, 'alice', 'cat notes'), 'kept\n');
  });

  it('takes scheduled snapshots as the scheduler', async () => {
    const schedule = { snapshots: { everyHours: 24, keep: 1 } };
    assert.equal((await alice('PUT', `/containers/${name}/schedule`, schedule)).status, 200);
    const [scheduled] = await eventually(async () => {
      const { body } = await system.call<{ snapshot: string }[]>('GET', `/containers/${name}/snapshots`);
      const found = body.filter(({ snapshot }) => snapshot.startsWith('auto-'));
      return found.length > 0 ? found : undefined;
    }, 30_000);
    const audit = await system.call<{ entries: { actor: string; data: { snapshot: string } }[] }>(
      'GET',
      `/audit?streamId=container-${name}&type=SnapshotCreated`,
    );
    const entry = audit.body.entries.find(({ data }) => data.snapshot === scheduled.snapshot);
    assert.equal(entry?.actor, 'scheduler');
    await alice('PUT', `/containers/${name}/schedule`, {});
  });

  it('exports a scheduled backup as the scheduler, and tells the server’s channel it was made', async () => {
    const receiver = await WebhookReceiver.start();
    try {
      const added = await system.call('POST', '/notifications/channels', {
        name: 'backups',
        kind: 'webhook',
        url: receiver.url('/backups'),
        topics: ['backup.succeeded', 'backup.failed'],
      });
      assert.equal(added.status, 201, JSON.stringify(added.body));
      const schedule = { backups: { everyHours: 24, keep: 1 } };
      assert.equal((await alice('PUT', `/containers/${name}/schedule`, schedule)).status, 200);
      const [told] = await eventually(async () => {
        const accepted = receiver.accepted('/backups');
        return accepted.length > 0 ? accepted : undefined;
      }, 120_000);
      assert.equal(told.json.type, 'backup.succeeded');
      assert.match(JSON.stringify(told.json), new RegExp(`Scheduled backup of ${name} made`));
    } finally {
      await alice('PUT', `/containers/${name}/schedule`, {});
      await receiver.stop();
    }
    // The later tests count this container's backups: the scheduled one goes.
    const { body } = await system.call<{ backup: string }[]>('GET', `/containers/${name}/backups`);
    for (const { backup } of body.filter(({ backup }) => backup.startsWith('auto-'))) {
      assert.equal((await alice('DELETE', `/containers/${name}/backups/${backup}`)).status, 204);
    }
  });

  it('exports a backup, and a container restored from it after the original is deleted takes the same key', async () => {
    const exporting = alice('POST', `/containers/${name}/backups`, { backup: 'nightly' });
    const seen = await eventually(async () => {
      const { body } = await system.call<{ running: boolean; lines: string[] }>(
        'GET',
        `/containers/${name}/progress`,
      );
      return body?.running && body.lines.length > 0 ? body : undefined;
    }, 30_000);
    assert.match(seen.lines[0], /backing up/);
    assert.equal((await exporting).status, 201);
    const done = await system.call<{ operation: string; running: boolean }>(
      'GET',
      `/containers/${name}/progress`,
    );
    assert.deepEqual([done.body.operation, done.body.running], ['exportBackup nightly', false]);
    const refused = await alice('DELETE', `/containers/${name}`, { confirm: 'wrong' });
    assert.equal(refused.status, 400);
    assert.equal((await alice('DELETE', `/containers/${name}`, { confirm: name })).status, 204);
    assert.equal((await alice('GET', `/containers/${name}`)).body.status, 'deleted');

    const restored = await alice('POST', `/containers/${name}/backups/nightly/restore`, { newName: copy });
    assert.equal(restored.status, 201, JSON.stringify(restored.body));
    assert.equal(restored.body.owner, 'alice');
    assert.equal(await sshWhenUp(key.key, restored.body.sshPort, 'alice', 'cat notes'), 'kept\n');

    const audit = await system.call<{ entries: { type: string; actor: string }[] }>(
      'GET',
      `/audit?streamId=container-${copy}&order=oldest`,
    );
    assert.deepEqual(
      audit.body.entries.map(({ type, actor }) => [type, actor]),
      [
        ['ContainerRequested', 'member:alice'],
        ['ContainerPlaced', 'member:alice'],
        ['ContainerCreated', 'member:alice'],
      ],
    );
    // Made where its backup's file is: the node the original ran on.
    assert.deepEqual(restored.body.placement, { rule: 'named', reason: 'where its backup nightly is' });
    assert.equal(restored.body.node, 'worker');
    assert.equal((await alice('DELETE', `/containers/${copy}`, { confirm: copy })).status, 204);
  });

  it("gives a container another member makes under a deleted one's name none of its backups; they stay the owner's", async () => {
    const taken = await bob('POST', '/containers', { name, limits, sshKeys: [key.publicKey] });
    assert.equal(taken.status, 201, JSON.stringify(taken.body));
    assert.deepEqual((await bob('GET', `/containers/${name}/backups`)).body, []);
    const restore = await bob('POST', `/containers/${name}/backups/nightly/restore`, {
      newName: `${name}-bob`,
    });
    assert.equal(restore.status, 404, JSON.stringify(restore.body));
    // The same backup name, a file of its own: Alice's is not overwritten.
    assert.equal((await bob('POST', `/containers/${name}/backups`, { backup: 'nightly' })).status, 201);
    type Listed = { id: string; backup: string; container: string; containerDeleted: boolean; file: string };
    const backups = async (who: Call) => (await who('GET', '/backups')).body as unknown as Listed[];
    const [alices] = await backups(alice);
    assert.deepEqual([alices.backup, alices.container, alices.containerDeleted], ['nightly', name, true]);
    const [bobs] = await backups(bob);
    assert.deepEqual([bobs.backup, bobs.containerDeleted], ['nightly', false]);
    assert.notEqual(bobs.file, alices.file);
    assert.equal((await bob('DELETE', `/backups/${alices.id}`)).status, 404);
    assert.equal((await alice('DELETE', `/backups/${alices.id}`)).status, 204);
    assert.deepEqual(await backups(alice), []);
    assert.equal((await bob('DELETE', `/containers/${name}/backups/nightly`)).status, 204);
    assert.equal((await bob('DELETE', `/containers/${name}`, { confirm: name })).status, 204);
  });

  it('lists the images the Worker allows, and refuses a bad key and an unknown image with its reason', async () => {
    const images = await alice('GET', '/container-images');
    assert.deepEqual(images.body as unknown, {
      default: 'testausdeploy/bookworm',
      images: [{ alias: 'testausdeploy/bookworm', available: true }],
    });
    const bad = await alice('POST', '/containers', {
      name: `${name}-bad`,
      limits,
      sshKeys: ['ssh-rsa AAAA nope'],
    });
    assert.equal(bad.status, 400, JSON.stringify(bad.body));
    const image = await alice('POST', '/containers', {
      name: `${name}-img`,
      limits,
      sshKeys: [key.publicKey],
      image: 'nosuch/image',
    });
    assert.equal(image.status, 400, JSON.stringify(image.body));
    assert.match(image.body.message ?? '', /image/);
  });
});
