import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isInside, realTarget, SymlinkLoop } from './checkout-paths';

describe('realTarget: where a path leads, as dockerd would follow it', () => {
  let root: string;
  before(async () => {
    root = await realpath(await mkdtemp(join(tmpdir(), 'paths-')));
    await mkdir(join(root, 'dir'));
    await writeFile(join(root, 'dir', 'file'), 'x');
    await symlink('dir', join(root, 'to-dir'));
    await symlink('/etc', join(root, 'out'));
    await symlink('/var/lib/docker/volumes/td_x_y_v/_data/evil', join(root, 'dangling-out'));
    await symlink('later/data', join(root, 'dangling-in'));
    await symlink('hop', join(root, 'chain'));
    await symlink('to-dir/file', join(root, 'hop'));
    await symlink('loop-b', join(root, 'loop-a'));
    await symlink('loop-a', join(root, 'loop-b'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('follows links and chains of links to where they lead', async () => {
    assert.equal(await realTarget(join(root, 'to-dir', 'file')), join(root, 'dir', 'file'));
    assert.equal(await realTarget(join(root, 'chain')), join(root, 'dir', 'file'));
    assert.equal(await realTarget(join(root, 'out', 'passwd')), '/etc/passwd');
  });

  it('follows a dangling link too: its target is where the path leads once something is there', async () => {
    assert.equal(await realTarget(join(root, 'dangling-out')), '/var/lib/docker/volumes/td_x_y_v/_data/evil');
    assert.equal(await realTarget(join(root, 'dangling-in', 'x')), join(root, 'later', 'data', 'x'));
    assert.equal(await realTarget(join(root, 'missing', 'deeper')), join(root, 'missing', 'deeper'));
  });

  it('says so for a loop instead of following it for ever', async () => {
    await assert.rejects(realTarget(join(root, 'loop-a')), SymlinkLoop);
  });

  it('compares whole path segments', () => {
    assert.ok(isInside('/srv/checkout', '/srv/checkout'));
    assert.ok(isInside('/srv/checkout', '/srv/checkout/a'));
    assert.ok(!isInside('/srv/checkout', '/srv/checkout-evil'));
    assert.ok(!isInside('/srv/checkout', '/srv'));
  });
});
