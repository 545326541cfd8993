/**
 * Guardian benchmark: apply a desired state of 1,000 port rules (500 open ports and 500 forwards) the way the
 * Guardian does it (check, render, one `nft -f` transaction, read back with `nft -j list` and compare, the
 * DOCKER-USER check, the state file), against a bare `nft -f` of the very same ruleset, in the same run, inside a
 * network namespace made for it. Two states alternate so every apply changes the table. `npm run bench:guardian`;
 * figures go to docs/performance.md.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { firewallState, FirewallState } from '@testausdeploy/icp';
import { loadGuardianConfig } from '../../apps/guardian/src/config/guardian-config';
import { DesiredStateFile } from '../../apps/guardian/src/desired/desired-state-file';
import { DockerUserRules } from '../../apps/guardian/src/firewall/docker-user';
import { Firewall } from '../../apps/guardian/src/firewall/firewall';
import { mergeRanges } from '../../apps/guardian/src/firewall/firewall-policy';
import { HostCommands } from '../../apps/guardian/src/firewall/host-commands';
import { renderRuleset } from '../../apps/guardian/src/firewall/nft-ruleset';
import { NftTables } from '../../apps/guardian/src/firewall/nft-tables';
import { NetworkNamespace } from '../../test/support/netns';
import { now, percentile, Row, table, timed } from '../measure';

const run = promisify(execFile);
const config = {
  rules: Number(process.env.BENCH_RULES ?? 1000),
  rounds: Number(process.env.BENCH_ROUNDS ?? 20),
};
const log = (line: string) => process.stderr.write(`${line}\n`);

/** Half open ports, half forwards to container addresses; `shift` moves every port so two states differ. */
function state(rules: number, shift: number): FirewallState {
  const half = Math.floor(rules / 2);
  return {
    open: Array.from({ length: rules - half }, (_, i) => ({
      owner: `project:org/repo-${i}`,
      protocol: i % 2 ? ('udp' as const) : ('tcp' as const),
      port: 10_000 + shift + i,
    })),
    forwards: Array.from({ length: half }, (_, i) => ({
      owner: `container:box-${i}`,
      protocol: 'tcp' as const,
      hostPort: 30_000 + shift + i,
      address: `10.87.${Math.floor(i / 250)}.${(i % 250) + 2}`,
      port: 22,
    })),
  };
}

async function main(): Promise<void> {
  const ns = await NetworkNamespace.create('bench');
  const dir = await mkdtemp(join(tmpdir(), 'guardian-bench-'));
  try {
    const node = {
      host: '127.0.0.1',
      port: 7444,
      stateDir: dir,
      trustFile: join(dir, 't'),
      logLevel: 'silent' as const,
    };
    const settings = loadGuardianConfig(node, {
      GUARDIAN_NETNS: ns.name,
      PORT_RANGES: '10000-39999',
      CONTAINER_SUBNETS: '10.87.0.0/16',
      RECONCILE_INTERVAL_MS: '3600000',
    });
    const host = new HostCommands(ns.name);
    const nft = new NftTables(host);
    const firewall = new Firewall(
      settings,
      nft,
      new DockerUserRules(host, settings.CONTAINER_BRIDGES),
      new DesiredStateFile(join(dir, 'firewall.json'), firewallState),
    );
    await firewall.onApplicationBootstrap();

    const states = [state(config.rules, 0), state(config.rules, 1)];
    const files = await Promise.all(
      states.map(async (desired, i) => {
        const file = join(dir, `ruleset-${i}.nft`);
        await writeFile(file, renderRuleset(desired, mergeRanges(settings.PORT_RANGES)));
        return file;
      }),
    );
    const bare: number[] = [];
    const guardian: number[] = [];
    for (let round = 0; round < config.rounds; round++) {
      const which = round % 2;
      const start = now();
      await run('nsenter', [`--net=/var/run/netns/${ns.name}`, 'nft', '-f', files[which]]);
      bare.push(now() - start);
      guardian.push((await timed(() => firewall.replace(states[which]))).ms);
    }
    await firewall.onApplicationShutdown();
    const median = (samples: number[]) => percentile(samples, 50);
    const rows: Row[] = [
      {
        figure: `apply + verify ${config.rules} rules, median`,
        store: median(guardian),
        baseline: median(bare),
        unit: 'ms',
        better: 'lower',
        goal: 1 / 1.5,
      },
      {
        figure: `apply + verify ${config.rules} rules, p90`,
        store: percentile(guardian, 90),
        baseline: percentile(bare, 90),
        unit: 'ms',
        better: 'lower',
      },
    ];
    log(`${config.rounds} rounds, ${config.rules} rules each`);
    console.log(table(rows, 'Guardian'));
  } finally {
    await ns.delete();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
