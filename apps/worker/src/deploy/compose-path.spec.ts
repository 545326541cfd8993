import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ComposePathError, resolveComposePath } from './compose-path';

describe('resolveComposePath', () => {
  let root: string;
  let clone: string;
  let outside: string;

  beforeEach(async () => {
    // realpath so expectations hold even when the temp dir is reached through a symlink
    root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'td-compose-path-')));
    clone = path.join(root, 'clone');
    outside = path.join(root, 'outside');
    await fs.mkdir(path.join(clone, 'deploy', 'prod'), { recursive: true });
    await fs.mkdir(outside);
    await fs.writeFile(path.join(clone, 'deploy', 'prod', 'compose.yml'), 'services: {}\n');
    await fs.writeFile(path.join(outside, 'compose.yml'), 'services: {}\n');
  });

  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  async function rejection(composePath: string): Promise<ComposePathError> {
    const err: unknown = await resolveComposePath(clone, composePath).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof ComposePathError, `expected a ComposePathError, got ${String(err)}`);
    return err as ComposePathError;
  }

  it('resolves a nested path to its real absolute path', async () => {
    assert.equal(
      await resolveComposePath(clone, 'deploy/prod/compose.yml'),
      path.join(clone, 'deploy', 'prod', 'compose.yml'),
    );
  });

  it('accepts ".." that stays inside the clone', async () => {
    assert.equal(
      await resolveComposePath(clone, 'deploy/../deploy/prod/compose.yml'),
      path.join(clone, 'deploy', 'prod', 'compose.yml'),
    );
  });

  it('rejects an empty path', async () => {
    assert.match((await rejection('')).reason, /empty/);
  });

  it('rejects a NUL character', async () => {
    assert.match((await rejection('deploy/prod/compose.yml\0x')).reason, /NUL/);
  });

  for (const p of ['../x', 'a/../../x', '..', 'deploy/../../outside/compose.yml']) {
    it(`rejects ${p} escaping upwards`, async () => {
      assert.match((await rejection(p)).reason, /outside the repository/);
    });
  }

  it('rejects an absolute path', async () => {
    assert.match((await rejection('/etc/passwd')).reason, /absolute/);
  });

  it('rejects a symlinked file pointing outside', async () => {
    await fs.symlink(path.join(outside, 'compose.yml'), path.join(clone, 'compose.yml'));
    assert.match((await rejection('compose.yml')).reason, /symlink .*outside/);
  });

  it('rejects a relative symlink to a sibling directory sharing the clone name as prefix', async () => {
    const evil = path.join(root, 'clone-evil');
    await fs.mkdir(evil);
    await fs.writeFile(path.join(evil, 'compose.yml'), 'services: {}\n');
    await fs.symlink('../clone-evil/compose.yml', path.join(clone, 'compose.yml'));
    assert.match((await rejection('compose.yml')).reason, /symlink .*outside/);
    assert.match((await rejection('../clone-evil/compose.yml')).reason, /outside the repository/);
  });

  it('rejects a symlinked parent directory pointing outside', async () => {
    await fs.symlink(outside, path.join(clone, 'ops'));
    assert.match((await rejection('ops/compose.yml')).reason, /symlink .*outside/);
  });

  it('accepts a symlink inside the clone pointing inside', async () => {
    await fs.symlink('deploy/prod/compose.yml', path.join(clone, 'docker-compose.yml'));
    await fs.symlink('deploy', path.join(clone, 'd'));
    assert.equal(
      await resolveComposePath(clone, 'docker-compose.yml'),
      path.join(clone, 'deploy', 'prod', 'compose.yml'),
    );
    assert.equal(
      await resolveComposePath(clone, 'd/prod/compose.yml'),
      path.join(clone, 'deploy', 'prod', 'compose.yml'),
    );
  });

  it('resolves through a symlinked clone directory', async () => {
    const link = path.join(root, 'clone-link');
    await fs.symlink(clone, link);
    assert.equal(
      await resolveComposePath(link, 'deploy/prod/compose.yml'),
      path.join(clone, 'deploy', 'prod', 'compose.yml'),
    );
  });

  it('rejects a missing file', async () => {
    assert.match((await rejection('deploy/prod/nope.yml')).reason, /does not exist/);
    assert.match((await rejection('deploy/prod/compose.yml/x')).reason, /does not exist/);
  });

  it('rejects a directory', async () => {
    assert.match((await rejection('deploy/prod')).reason, /not a regular file/);
  });

  it('rejects the clone root itself', async () => {
    assert.match((await rejection('.')).reason, /not a regular file/);
  });

  it('rejects a symlink loop', async () => {
    await fs.symlink('loop', path.join(clone, 'loop'));
    assert.match((await rejection('loop')).reason, /loop/);
  });
});
