import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { HeadSigner } from './head-signer';

describe('HeadSigner', () => {
  const dirs: string[] = [];
  const stateDir = async () => {
    dirs.push(await mkdtemp(join(tmpdir(), 'head-signer-')));
    return dirs[dirs.length - 1];
  };
  after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it('keeps its key and the signed head across restarts', async () => {
    const dir = await stateDir();
    const first = await HeadSigner.open(dir);
    assert.equal(await first.recorded(), null);
    const head = first.sign({ position: 7, hash: 'a'.repeat(64) });
    await first.record(head);
    assert.deepEqual(await (await HeadSigner.open(dir)).recorded(), { head });
  });

  it("refuses a head signed with another Manager's key", async () => {
    const [mine, theirs] = [await stateDir(), await stateDir()];
    const other = await HeadSigner.open(theirs);
    await other.record(other.sign({ position: 7, hash: 'a'.repeat(64) }));
    await HeadSigner.open(mine);
    await copyFile(join(theirs, 'audit-anchor.json'), join(mine, 'audit-anchor.json'));
    const recorded = await (await HeadSigner.open(mine)).recorded();
    assert.ok(recorded && 'unreadable' in recorded);
  });
});
