import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { firewallState, FirewallState, IcpError, proxyState } from '@testausdeploy/icp';
import { NetworkNamespace } from '../../../../test/support/netns';
import { eventually } from '../../../../test/support/ports';
import { GuardianConfig, loadGuardianConfig } from '../config/guardian-config';
import { DesiredStateFile } from '../desired/desired-state-file';
import { ReverseProxy } from '../proxy/reverse-proxy';
import { DockerUserRules } from './docker-user';
import { Firewall } from './firewall';
import { FirewallHandler } from './firewall.handler';
import { GuardianCommands } from '../guardian-commands';
import { IcpFixture, until } from '../../../../test/support/icp';
import { HostCommands } from './host-commands';
import { NftTables } from './nft-tables';
import { TABLE } from './nft-ruleset';

/*
 * Three namespaces stand for a host and its neighbours: `host` runs the Guardian's rules; `container` sits on
 * the host's container bridge (10.87.0.0/24, as an LXD container would); `outside` is a machine on the
 * host's other network (10.88.0.0/24) that connects in.
 */
const HOST = '10.88.0.1';
const CONTAINER = '10.87.0.2';

describe('Firewall (real nft, in network namespaces)', () => {
  let host: NetworkNamespace;
  let container: NetworkNamespace;
  let outside: NetworkNamespace;
  let dir: string;
  const firewalls: Firewall[] = [];

  function config(env: Record<string, string> = {}): GuardianConfig {
    const node = {
      host: '127.0.0.1',
      port: 7444,
      stateDir: dir,
      trustFile: join(dir, 'trust'),
      logLevel: 'silent' as const,
    };
    return loadGuardianConfig(node, {
      GUARDIAN_NETNS: host.name,
      PORT_RANGES: '8000-8999,22000-22999',
      RESERVED_PORTS: '22,8022',
      CONTAINER_SUBNETS: '10.87.0.0/24',
      CONTAINER_BRIDGES: 'tdbr0',
      RECONCILE_INTERVAL_MS: '3600000',
      ...env,
    });
  }

  async function startFirewall(env: Record<string, string> = {}): Promise<Firewall> {
    const commands = new HostCommands(host.name);
    const settings = config(env);
    const firewall = new Firewall(
      settings,
      new NftTables(commands),
      new DockerUserRules(commands, settings.CONTAINER_BRIDGES),
      new DesiredStateFile(join(dir, 'firewall.json'), firewallState),
    );
    firewalls.push(firewall);
    await firewall.onApplicationBootstrap();
    return firewall;
  }

  const listTable = async (ns = host, table = `inet ${TABLE}`) =>
    JSON.parse(await ns.exec('nft', '-j', 'list', 'table', ...table.split(' '))) as { nftables: object[] };
  const allowedTcp = async () => {
    const set = (await listTable()).nftables.find(
      (item) => 'set' in item && (item.set as { name: string }).name === 'allowed_tcp',
    ) as { set: { elem?: number[] } };
    return set.set.elem ?? [];
  };
  const refusal = (pattern: RegExp) => (error: unknown) =>
    error instanceof IcpError && error.code === 'forbidden' && pattern.test(error.message);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'guardian-'));
    [host, container, outside] = await Promise.all([
      NetworkNamespace.create('host'),
      NetworkNamespace.create('ctr'),
      NetworkNamespace.create('out'),
    ]);
    // The container hangs off a bridge on the host, as LXD's containers do.
    await host.ip('link', 'add', 'tdbr0', 'type', 'bridge');
    await host.ip('addr', 'add', '10.87.0.1/24', 'dev', 'tdbr0');
    await host.ip('link', 'set', 'tdbr0', 'up');
    await host.link('veth-ctr', null, container, 'eth0', `${CONTAINER}/24`);
    await host.ip('link', 'set', 'veth-ctr', 'master', 'tdbr0');
    await container.ip('route', 'add', 'default', 'via', '10.87.0.1');
    await host.link('veth-out', `${HOST}/24`, outside, 'eth0', '10.88.0.2/24');
    await outside.ip('route', 'add', 'default', 'via', HOST);
    await host.exec('sysctl', '-qw', 'net.ipv4.ip_forward=1');
    await host.serve('0.0.0.0', 8080, 'host 8080');
    await host.serve('0.0.0.0', 9090, 'host 9090');
    await host.serve('0.0.0.0', 8443, 'host 8443');
    await container.serve('0.0.0.0', 22, 'container ssh');
    await outside.serve('0.0.0.0', 7000, 'outside 7000');
  });

  after(async () => {
    await Promise.all(firewalls.map((firewall) => firewall.onApplicationShutdown()));
    await Promise.all([host, container, outside].map((ns) => ns?.delete()));
    await rm(dir, { recursive: true, force: true });
  });

  it('closes managed ports until they are opened, and leaves other ports alone', async () => {
    const firewall = await startFirewall();
    assert.equal(await outside.fetch(HOST, 8080), null, 'a managed port is closed by default');
    assert.equal(await outside.fetch(HOST, 9090), 'host 9090', 'a port outside the managed ranges');
    assert.equal(await host.fetch('127.0.0.1', 8080), 'host 8080', 'loopback is never filtered');

    const report = await firewall.change((state) => ({
      ...state,
      open: [...state.open, { owner: 'project:org/site', protocol: 'tcp', port: 8080 }],
    }));
    assert.deepEqual(report.open, [{ owner: 'project:org/site', protocol: 'tcp', port: 8080 }]);
    assert.deepEqual(await allowedTcp(), [8080]);
    assert.equal(await outside.fetch(HOST, 8080), 'host 8080');

    await firewall.replace({ open: [], forwards: [] });
    assert.deepEqual(await allowedTcp(), []);
    assert.equal(await outside.fetch(HOST, 8080), null);
  });

  it('forwards a host port to a container over the bridge', async () => {
    const firewall = firewalls[0];
    const forward = {
      owner: 'container:alice-box',
      protocol: 'tcp' as const,
      hostPort: 22001,
      address: CONTAINER,
      port: 22,
    };
    await firewall.replace({ open: [], forwards: [forward] });
    assert.equal(await outside.fetch(HOST, 22001), 'container ssh');
    await firewall.replace({ open: [], forwards: [] });
    assert.equal(await outside.fetch(HOST, 22001), null);
  });

  it('opens, forwards, closes and removes one rule at a time through the ICP commands', async () => {
    const handler = new FirewallHandler(firewalls[0]);
    await handler.openPort({ owner: 'project:org/site', protocol: 'tcp', port: 8080 });
    await handler.forwardPort({
      owner: 'container:alice-box',
      protocol: 'tcp',
      hostPort: 22001,
      address: CONTAINER,
      port: 22,
    });
    const listed = await handler.listRules();
    assert.deepEqual([listed.open.length, listed.forwards.length], [1, 1]);
    assert.equal(await outside.fetch(HOST, 8080), 'host 8080');
    assert.equal(await outside.fetch(HOST, 22001), 'container ssh');
    await assert.rejects(
      handler.openPort({ owner: 'project:org/other', protocol: 'tcp', port: 22001 }),
      refusal(
        /forward tcp\/22001 to 10\.87\.0\.2:22 of container:alice-box: host port tcp\/22001 is also claimed by open tcp\/22001 of project:org\/other/,
      ),
    );
    await handler.closePort({ protocol: 'tcp', port: 8080 });
    await handler.removeForward({ protocol: 'tcp', port: 22001 });
    assert.deepEqual(await allowedTcp(), []);
    assert.equal(await outside.fetch(HOST, 22001), null);
  });

  it('restores its table when someone flushes or edits it, and reports the drift', async () => {
    const firewall = firewalls[0];
    const state: FirewallState = {
      open: [{ owner: 'project:org/site', protocol: 'tcp', port: 8080 }],
      forwards: [
        { owner: 'container:alice-box', protocol: 'tcp', hostPort: 22001, address: CONTAINER, port: 22 },
      ],
    };
    await firewall.replace(state);
    await host.exec('nft', 'flush', 'table', 'inet', TABLE);
    assert.equal(await outside.fetch(HOST, 8080), 'host 8080', 'a flushed table filters nothing');
    assert.equal(await outside.fetch(HOST, 22001), null, 'and forwards nothing');

    // The Manager resending the same state is a reconcile too: the repair is reported, not silent.
    const report = await firewall.replace(state);
    assert.equal(report.drift.length, 1);
    assert.deepEqual(report.drift[0].differences, [
      'chain filter_prerouting has 0 rules, not the 3 written',
      'chain dnat_prerouting has 0 rules, not the 2 written',
    ]);
    assert.equal(await outside.fetch(HOST, 22001), 'container ssh');
    assert.equal(await outside.fetch(HOST, 8443), null);

    await host.exec('nft', 'delete', 'element', 'inet', TABLE, 'allowed_tcp', '{ 8080 }');
    await host.exec('nft', 'add', 'element', 'inet', TABLE, 'allowed_tcp', '{ 8443 }');
    const edited = await firewall.reconcile();
    assert.deepEqual(edited.drift.at(-1)?.differences, [
      'set allowed_tcp lacks 8080',
      'set allowed_tcp has extra 8443',
    ]);
    assert.equal(await outside.fetch(HOST, 8080), 'host 8080');

    await host.exec('nft', 'delete', 'table', 'inet', TABLE);
    const again = await firewall.reconcile();
    assert.deepEqual(again.drift.at(-1)?.differences, [`table inet ${TABLE} is missing`]);
    assert.equal(await outside.fetch(HOST, 22001), 'container ssh');

    const { boot, sequence } = again.drift.at(-1)!;
    firewall.acknowledge(boot, sequence);
    assert.deepEqual(
      (await firewall.list()).drift,
      [],
      'acknowledged drift is dropped; nothing new was found',
    );
  });

  it('reconciles on its timer, and on start from the state it kept', async () => {
    // The first Guardian stops (its state reaches the disk); a second one starts from what it kept.
    await firewalls[0].onApplicationShutdown();
    await host.exec('nft', 'delete', 'table', 'inet', TABLE);
    const restarted = await startFirewall({ RECONCILE_INTERVAL_MS: '200' });
    try {
      assert.equal(await outside.fetch(HOST, 22001), 'container ssh', 'restored on start');
      await host.exec('nft', 'delete', 'table', 'inet', TABLE);
      await eventually(
        async () => ((await outside.fetch(HOST, 22001)) === 'container ssh' ? true : undefined),
        10_000,
      );
      assert.ok((await restarted.list()).drift.length >= 1);
    } finally {
      // One Guardian per host: this one stops before the first goes on.
      await restarted.onApplicationShutdown();
      firewalls.pop();
    }
  });

  it('never touches a table it does not own', async () => {
    const firewall = firewalls[0];
    await host.exec('nft', 'add', 'table', 'inet', 'other');
    await host.exec(
      'nft',
      'add',
      'chain',
      'inet',
      'other',
      'input',
      '{ type filter hook input priority 0; }',
    );
    await host.exec(
      'nft',
      'add',
      'rule',
      'inet',
      'other',
      'input',
      'tcp',
      'dport',
      '9090',
      'counter',
      'accept',
    );
    const before = await host.exec('nft', 'list', 'table', 'inet', 'other');
    await firewall.replace({
      open: [{ owner: 'project:org/site', protocol: 'udp', port: 8081 }],
      forwards: [],
    });
    await host.exec('nft', 'delete', 'table', 'inet', TABLE);
    await firewall.reconcile();
    assert.equal(await host.exec('nft', 'list', 'table', 'inet', 'other'), before);
  });

  it('refuses what its limits forbid, with the reason, and changes nothing', async () => {
    const firewall = firewalls[0];
    const kept: FirewallState = {
      open: [{ owner: 'project:org/site', protocol: 'tcp', port: 8080 }],
      forwards: [],
    };
    await firewall.replace(kept);
    const before = await host.exec('nft', 'list', 'table', 'inet', TABLE);
    const open = (port: number, owner = 'project:org/other') => ({ owner, protocol: 'tcp' as const, port });
    const forward = (hostPort: number, address: string) => ({
      owner: 'container:bob',
      protocol: 'tcp' as const,
      hostPort,
      address,
      port: 22,
    });
    const refused: [FirewallState, RegExp][] = [
      [{ open: [open(22)], forwards: [] }, /open tcp\/22: host port 22 is reserved/],
      [{ open: [open(8022)], forwards: [] }, /host port 8022 is reserved/],
      [{ open: [open(7444)], forwards: [] }, /host port 7444 is reserved/],
      [{ open: [open(9090)], forwards: [] }, /host port 9090 is outside the managed ranges/],
      [
        { open: [], forwards: [forward(22002, '10.88.0.2')] },
        /10\.88\.0\.2 is not a container address in 10\.87\.0\.0\/24/,
      ],
      [{ open: [], forwards: [forward(22002, '10.87.0.255')] }, /10\.87\.0\.255 is not a container address/],
      [{ open: [], forwards: [forward(22, CONTAINER)] }, /host port 22 is reserved/],
      [
        { open: [open(8080), open(8080, 'project:org/site')], forwards: [] },
        /open tcp\/8080 of project:org\/site: host port tcp\/8080 is also claimed by open tcp\/8080 of project:org\/other/,
      ],
      [{ open: [open(22002)], forwards: [forward(22002, CONTAINER)] }, /tcp\/22002 is also claimed/],
    ];
    for (const [state, reason] of refused) {
      await assert.rejects(firewall.replace(state), refusal(reason), reason.source);
    }
    await assert.rejects(
      firewall.change((state) => ({ ...state, open: [...state.open, open(8080)] })),
      refusal(
        /of project:org\/other: host port tcp\/8080 is also claimed by open tcp\/8080 of project:org\/site/,
      ),
    );
    assert.deepEqual((await firewall.list()).open, kept.open);
    assert.equal(await host.exec('nft', 'list', 'table', 'inet', TABLE), before);
    // The same rule twice from its owner is one rule, not a clash.
    const twice = await firewall.replace({ open: [...kept.open, ...kept.open], forwards: [] });
    assert.deepEqual(twice.open, kept.open);
  });

  it('answers a refused rule over ICP with an error reply naming the reason, and the session goes on', async () => {
    const fixture = await IcpFixture.create();
    try {
      const [guardian, manager] = await fixture.identities('guardian', 'manager');
      const noProxy = new ReverseProxy(
        config(),
        null,
        new DesiredStateFile(join(dir, 'routes.json'), proxyState),
      );
      const handlers = new GuardianCommands(new FirewallHandler(firewalls[0]), noProxy).handlers();
      const { port } = await fixture.server(guardian, () => [manager.fingerprint], handlers);
      const client = fixture.client(port, manager, guardian.fingerprint);
      await until(() => client.connected);
      const reserved = client.request(
        'openPort',
        { owner: 'project:org/x', protocol: 'tcp', port: 8022 },
        { timeoutMs: 10_000 },
      );
      await assert.rejects(
        reserved,
        (error: IcpError) => error.code === 'forbidden' && /host port 8022 is reserved/.test(error.message),
      );
      const malformed = client.request(
        'openPort',
        { owner: 'no owner', protocol: 'sctp', port: 0 } as never,
        { timeoutMs: 10_000 },
      );
      await assert.rejects(malformed, (error: IcpError) => error.code === 'invalid_data');
      const listed = await client.request('listRules', {}, { timeoutMs: 10_000 });
      assert.ok(!listed.open.some((rule) => rule.port === 8022));
    } finally {
      await fixture.cleanUp();
    }
  });

  it("keeps its marked rules at the top of dockerd's DOCKER-USER, through a dockerd restart", async () => {
    const firewall = firewalls[0];
    await firewall.replace({ open: [], forwards: [] });
    // dockerd sets FORWARD to DROP when it is the one that turns forwarding on, as on a fresh host.
    await host.exec('sysctl', '-qw', 'net.ipv4.ip_forward=0');
    let dockerd = await host.startDockerd();
    try {
      assert.match(await host.exec('iptables', '-S', 'FORWARD'), /-P FORWARD DROP/);
      assert.equal(
        await container.fetch('10.88.0.2', 7000),
        null,
        "dockerd's FORWARD DROP cuts the bridge off",
      );
      const report = await firewall.reconcile();
      assert.equal(report.dockerUser, true);
      assert.match(
        report.drift.at(-1)!.differences.join('\n'),
        /DOCKER-USER does not start with the Guardian's rules/,
      );
      assert.equal(
        await container.fetch('10.88.0.2', 7000),
        'outside 7000',
        'the container reaches the outside',
      );

      await dockerd.stop();
      dockerd = await host.startDockerd();
      assert.equal(
        await container.fetch('10.88.0.2', 7000),
        'outside 7000',
        'the rules survive a dockerd restart',
      );
      const rules = (await host.exec('iptables', '-S', 'DOCKER-USER')).split('\n');
      assert.equal(rules.filter((rule) => rule.includes('testausdeploy-guardian')).length, 2);
      assert.equal(
        rules.at(-2),
        '-A DOCKER-USER -j RETURN',
        "Docker's own rule is still there, after the Guardian's",
      );
      assert.equal((await firewall.reconcile()).drift.length, report.drift.length, 'no new drift');
    } finally {
      await dockerd.stop();
    }
  });
});
