import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { ComposeCli } from '../compose-cli';
import { ComposeGate } from './compose-gate';
import { RenderedCompose } from './compose-policy';

/** The corpus stays in the source tree; this file runs from dist/. */
const CORPUS = path.resolve(__dirname, '../../../../../../apps/worker/src/deploy/policy/corpus');

async function corpus(kind: 'hostile' | 'ordinary'): Promise<{ name: string; text: string }[]> {
  const names = (await fs.readdir(path.join(CORPUS, kind))).filter((name) => name.endsWith('.yml')).sort();
  return Promise.all(
    names.map(async (name) => ({ name, text: await fs.readFile(path.join(CORPUS, kind, name), 'utf8') })),
  );
}

describe('the deploy policy on a corpus of compose files, rendered by the real compose CLI', () => {
  let dir: string;
  let clone: string;
  let gate: ComposeGate;

  before(async () => {
    dir = await fs.mkdtemp(path.join(tmpdir(), 'policy-'));
    clone = path.join(dir, 'clone');
    // A repository with what the ordinary files refer to, and a symlink that leads out of it.
    await fs.mkdir(path.join(clone, 'web'), { recursive: true });
    await fs.mkdir(path.join(clone, 'data'));
    await fs.writeFile(path.join(clone, 'web', 'Dockerfile'), 'FROM testausdeploy/busybox:latest\n');
    await fs.writeFile(path.join(clone, 'web', 'index.html'), '<p>hi</p>\n');
    await fs.writeFile(path.join(clone, 'app.env'), 'GREETING=hello\n');
    await fs.writeFile(
      path.join(clone, 'base.yml'),
      'services:\n  base:\n    image: testausdeploy/busybox:latest\n    environment: [FROM_BASE=1]\n',
    );
    await fs.symlink('/etc', path.join(clone, 'link-out'));
    gate = new ComposeGate(new ComposeCli(), {
      ports: { from: 8000, to: 8999 },
      limits: { memory: '256m', cpus: 0.5, pids: 200 },
      dir: path.join(dir, 'checked'),
    });
  });

  after(() => fs.rm(dir, { recursive: true, force: true }));

  async function admit(text: string, name: string) {
    const file = path.join(clone, 'docker-compose.yml');
    await fs.writeFile(file, text);
    return gate.admit({ name: `td_policy_${name.replace(/\W/g, '_')}`, file }, clone);
  }

  it('has at least 30 hostile and 10 ordinary files', async () => {
    assert.ok((await corpus('hostile')).length >= 30);
    assert.ok((await corpus('ordinary')).length >= 10);
  });

  it('refuses every hostile file, naming the service and the rule it breaks', async () => {
    for (const { name, text } of await corpus('hostile')) {
      const expected = /^# expect: (.+)$/m.exec(text)?.[1];
      assert.ok(expected, `${name} has no "# expect:" line`);
      await assert.rejects(admit(text, name), (error: Error) => {
        assert.match(error.name, /ComposePolicyError|ComposeFileError/, `${name}: ${error.message}`);
        assert.match(error.message, new RegExp(expected), name);
        return true;
      });
    }
  });

  it('admits every ordinary file, with limits on every service, as a file compose accepts', async () => {
    for (const { name, text } of await corpus('ordinary')) {
      const checked = await admit(text, name).catch((error: Error) =>
        assert.fail(`${name}: ${error.message}`),
      );
      assert.equal((await fs.stat(checked.file)).mode & 0o777, 0o600);
      const written = parse(await fs.readFile(checked.file, 'utf8')) as RenderedCompose;
      assert.equal(written.version, undefined, name);
      for (const [service, spec] of Object.entries(written.services ?? {})) {
        const limits = (spec.deploy as { resources?: { limits?: object } } | undefined)?.resources?.limits;
        assert.ok(spec.mem_limit !== undefined || limits, `${name}: ${service} has no memory limit`);
        assert.ok(spec.pids_limit !== undefined, `${name}: ${service} has no pids limit`);
      }
      // What compose will run is what was checked: it reads the checked file back without complaint.
      assert.ok((await new ComposeCli().render(checked)).includes('services:'), name);
    }
  });

  it('keeps the limits a file sets and adds the defaults where it sets none', async () => {
    const checked = await admit(
      'services:\n  a:\n    image: testausdeploy/busybox:latest\n    mem_limit: 64m\n  b:\n    image: testausdeploy/busybox:latest\n',
      'limits',
    );
    const { services } = parse(await fs.readFile(checked.file, 'utf8')) as RenderedCompose;
    assert.equal(services?.a.pids_limit, 200);
    assert.notEqual(String(services?.a.mem_limit), '256m');
    assert.equal(services?.b.mem_limit, '256m');
    assert.equal(services?.b.cpus, 0.5);
  });

  it('renders again only when a file compose reads has changed, and checks the policy every time', async () => {
    let renders = 0;
    const counting = new (class extends ComposeCli {
      override render(project: Parameters<ComposeCli['render']>[0]) {
        renders++;
        return super.render(project);
      }
    })();
    const cached = new ComposeGate(counting, {
      ports: { from: 8000, to: 8999 },
      limits: { memory: '256m', cpus: 0.5, pids: 200 },
      dir: path.join(dir, 'checked-cache'),
    });
    const project = { name: 'td_policy_cache', file: path.join(clone, 'docker-compose.yml') };
    await fs.writeFile(
      project.file,
      'services:\n  web:\n    build: ./web\n    env_file: app.env\n    volumes: ["./data:/data"]\n',
    );
    const admitted = async () => parse(await fs.readFile((await cached.admit(project, clone)).file, 'utf8'));
    await admitted();
    await fs.writeFile(path.join(clone, 'web', 'index.html'), '<p>changed, and nothing compose reads</p>\n');
    await admitted();
    assert.equal(renders, 1, 'a commit that changes no file compose reads is not rendered again');

    await fs.writeFile(path.join(clone, 'app.env'), 'GREETING=changed\n');
    assert.equal((await admitted()).services.web.environment.GREETING, 'changed');
    await fs.writeFile(path.join(clone, '.env'), 'UNUSED=1\n');
    await admitted();
    assert.equal(renders, 3, 'an env file or .env that changed is rendered again');

    await fs.rm(path.join(clone, '.env'));
    await fs.symlink('app.env', path.join(clone, '.env'));
    await admitted();
    await admitted();
    assert.equal(renders, 5, 'a .env that is a symlink is never digested, so always rendered');
    await fs.rm(path.join(clone, '.env'));

    // The rendering is reused, the policy is not: a bind mount turned into a symlink out of the clone is refused.
    await admitted();
    await fs.rename(path.join(clone, 'data'), path.join(clone, 'data-real'));
    await fs.symlink('/etc', path.join(clone, 'data'));
    try {
      await assert.rejects(cached.admit(project, clone), /outside the repository|outside the clone/);
      assert.equal(renders, 6);
    } finally {
      await fs.rm(path.join(clone, 'data'));
      await fs.rename(path.join(clone, 'data-real'), path.join(clone, 'data'));
      await fs.writeFile(path.join(clone, 'app.env'), 'GREETING=hello\n');
    }
  });
});
