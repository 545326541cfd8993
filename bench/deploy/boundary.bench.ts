/**
 * What the deploy boundary costs a deployment, each part against what it replaced, measured in the same run and
 * in alternating order: the sandboxed `config` (compose-sandbox.ts) against the same `docker-compose config` run
 * bare, and a fresh checkout per commit (fetch into the bare repository, check out into a new directory) against
 * updating one clone in place (fetch, `reset --hard`). `npm run bench:boundary`; figures go to
 * docs/performance.md. Needs dockerd (for compose's socket) and git.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GitRepositories } from '../../apps/worker/src/deploy/git-repositories';
import { ProjectCheckouts } from '../../apps/worker/src/deploy/workspace/project-checkouts';
import { composeCli, projectAt } from '../../test/support/compose';
import { percentile, timed } from '../measure';

const run = promisify(execFile);
const rounds = Number(process.env.BENCH_ROUNDS ?? 15);
const FILES = Number(process.env.BENCH_FILES ?? 300);
const log = (line: string) => process.stderr.write(`${line}\n`);

/** Median milliseconds of `a` and `b`, each run `rounds` times, taking turns at going first. */
async function pair(a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number, number]> {
  const [as, bs]: [number[], number[]] = [[], []];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [a, b] : [b, a];
    const times = [(await timed(order[0])).ms, (await timed(order[1])).ms];
    as.push(round % 2 === 0 ? times[0] : times[1]);
    bs.push(round % 2 === 0 ? times[1] : times[0]);
  }
  return [percentile(as, 50), percentile(bs, 50)];
}

async function git(cwd: string, ...args: string[]): Promise<string> {
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'b',
    GIT_AUTHOR_EMAIL: 'b@b',
    GIT_COMMITTER_NAME: 'b',
    GIT_COMMITTER_EMAIL: 'b@b',
  };
  return (await run('git', args, { cwd, env, maxBuffer: 16 * 1024 * 1024 })).stdout.trim();
}

async function render(dir: string): Promise<[number, number]> {
  const project = join(dir, 'render');
  await mkdir(join(project, 'web'), { recursive: true });
  await writeFile(join(project, 'web', 'Dockerfile'), 'FROM testausdeploy/busybox:latest\n');
  await writeFile(
    join(project, 'docker-compose.yml'),
    'services:\n  web:\n    build: ./web\n    ports: ["127.0.0.1:8080:8080"]\n    volumes: ["./data:/data"]\n  db:\n    image: testausdeploy/busybox:latest\n',
  );
  const sandboxed = await projectAt('td_bench_render', join(project, 'docker-compose.yml'));
  const cli = composeCli(['docker-compose']);
  const bare = () =>
    run('docker-compose', ['-p', 'td_bench_render', '-f', sandboxed.file, 'config'], { cwd: project });
  return pair(() => cli.render(sandboxed), bare);
}

async function checkouts(dir: string): Promise<[number, number]> {
  const remote = join(dir, 'remote', 'bench', 'site.git');
  const work = join(dir, 'work');
  await mkdir(remote, { recursive: true });
  await git(remote, 'init', '-q', '--bare', '-b', 'main');
  await mkdir(work);
  await git(work, 'init', '-q', '-b', 'main');
  for (let n = 0; n < FILES; n++) {
    await mkdir(join(work, `dir${n % 20}`), { recursive: true });
    await writeFile(join(work, `dir${n % 20}`, `file${n}.txt`), `content ${n}\n`.repeat(20));
  }
  let commit = 0;
  const push = async () => {
    await writeFile(join(work, 'index.html'), `version ${commit++}\n`);
    await git(work, 'add', '-A');
    await git(work, 'commit', '-q', '-m', `v${commit}`);
    await git(work, 'push', '-q', remote, 'HEAD:refs/heads/main');
  };
  await push();
  // Before: one clone, brought to each new head in place.
  const clone = join(dir, 'clone');
  await git(dir, 'clone', '-q', '--single-branch', '--branch', 'main', remote, clone);
  const inPlace = async () => {
    await git(clone, 'fetch', '-q', '--no-tags', 'origin', 'refs/heads/main');
    await git(clone, 'reset', '-q', '--hard', 'FETCH_HEAD');
  };
  // Now: the bare repository and a fresh checkout per attempt, the older one removed as a deployment does.
  const repos = new GitRepositories({
    reposDir: join(dir, 'repos'),
    baseUrl: `file://${join(dir, 'remote')}`,
  });
  const trees = new ProjectCheckouts(join(dir, 'checkouts'), repos);
  const fresh = async () => {
    const head = await repos.fetch('bench', 'site', 'main');
    const tree = await trees.create('td_bench_site', 'bench', 'site', head);
    await trees.prune('td_bench_site', [tree]);
  };
  await fresh();
  return pair(
    async () => {
      await push();
      await fresh();
    },
    async () => {
      await push();
      await inPlace();
    },
  );
}

async function main(): Promise<void> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'bench-boundary-')));
  try {
    log(`render: ${rounds} rounds each`);
    const [sandboxed, bare] = await render(dir);
    log(`checkouts: ${rounds} rounds each, ${FILES} files`);
    const [fresh, inPlace] = await checkouts(dir);
    console.log(`\nDeploy boundary bench (${rounds} rounds, medians; a repository of ${FILES} files)\n`);
    console.log('| figure | now | before | ratio (before / now) |');
    console.log('|---|---|---|---|');
    console.log(
      `| render: sandboxed \`docker-compose config\` vs bare | ${sandboxed.toFixed(0)} ms | ${bare.toFixed(0)} ms | ${(bare / sandboxed).toFixed(2)} |`,
    );
    console.log(
      `| commit to files: push + fetch into the bare repository + fresh checkout + prune vs push + fetch + reset of one clone | ${fresh.toFixed(0)} ms | ${inPlace.toFixed(0)} ms | ${(inPlace / fresh).toFixed(2)} |`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(error);
    process.exit(1);
  },
);
