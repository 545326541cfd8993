/**
 * Configuration benchmark: what a project's variables add to a deployment. Two projects of the same app are
 * deployed from the same git host by the three apps (as processes): one with 50 variables (25 secret, sealed, so
 * each attempt opens them, sends them in its deploy command and writes them into its checked file), one with
 * none. Each round pushes a new commit to both and redeploys them one after the other (the order alternating),
 * timing each from the request to the new page being served. The ratio of the medians is the figure (goal: at
 * most 1.05). `npm run bench:configuration`; figures go to docs/performance.md. Needs what `npm test` starts
 * (dockerd, the test database, the base image).
 */
import { randomBytes } from 'node:crypto';
import { GitHost } from '../../test/support/git-host';
import { freePort } from '../../test/support/ports';
import { System } from '../../test/support/system';
import { webSite } from '../../test/support/web-site';
import { now, percentile } from '../measure';
import { untilServed } from '../deploy/until-served';

const ORG = 'bench-config';
const config = {
  rounds: Number(process.env.BENCH_ROUNDS ?? 8),
  variables: Number(process.env.BENCH_VARIABLES ?? 50),
};
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Project {
  repo: string;
  port: number;
  times: number[];
}

async function main(): Promise<void> {
  process.env.TEST_MONGO_URL ??= 'mongodb://127.0.0.1:27117';
  const git = await GitHost.start();
  const system = await System.start({ allowedOrgs: ORG, gitBaseUrl: git.baseUrl });
  const configured: Project = { repo: 'configured', port: await freePort(), times: [] };
  const bare: Project = { repo: 'bare', port: await freePort(), times: [] };
  const deploy = async (project: Project, page: string) => {
    await git.push(ORG, project.repo, webSite(project.port, page));
    const start = now();
    const accepted = await system.call('POST', '/deployments', { org: ORG, repo: project.repo });
    if (accepted.status !== 202) throw new Error(JSON.stringify(accepted.body));
    return untilServed(project.port, page, start);
  };
  try {
    for (const project of [configured, bare]) await deploy(project, 'v0');
    const text = Array.from(
      { length: config.variables },
      (_, n) => `VAR_${n}="${randomBytes(24).toString('base64')}"`,
    ).join('\n');
    const half = text
      .split('\n')
      .slice(0, config.variables / 2)
      .join('\n');
    const rest = text
      .split('\n')
      .slice(config.variables / 2)
      .join('\n');
    const path = `/projects/${ORG}/${configured.repo}/variables/import`;
    for (const [part, secret] of [
      [half, true],
      [rest, false],
    ] as const) {
      const imported = await system.call('POST', path, { text: part, secret });
      if (imported.status !== 200) throw new Error(JSON.stringify(imported.body));
    }
    log(`${config.variables} variables set on ${ORG}/${configured.repo}; ${config.rounds} rounds`);
    for (let round = 1; round <= config.rounds; round++) {
      const order = round % 2 ? [configured, bare] : [bare, configured];
      for (const project of order) project.times.push(await deploy(project, `v${round}`));
      log(
        `round ${round}: with variables ${Math.round(configured.times.at(-1)!)} ms, without ${Math.round(bare.times.at(-1)!)} ms`,
      );
    }
    const [withVariables, without] = [percentile(configured.times, 50), percentile(bare.times, 50)];
    const ratio = withVariables / without;
    console.log(`\nConfiguration bench (${config.rounds} rounds, ${config.variables} variables)\n`);
    console.log('| figure | value |');
    console.log('|---|---|');
    console.log(
      `| deploy with ${config.variables} variables, request → served, median | ${Math.round(withVariables)} ms |`,
    );
    console.log(`| the same app without variables, median | ${Math.round(without)} ms |`);
    console.log(`| ratio (goal ≤ 1.05) | ${ratio.toFixed(3)}: ${ratio <= 1.05 ? 'met' : 'MISSED'} |`);
  } finally {
    for (const { repo } of [configured, bare]) await system.composeDown(ORG, repo).catch(() => undefined);
    await system.stop();
    await git.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(error);
    process.exit(1);
  },
);
