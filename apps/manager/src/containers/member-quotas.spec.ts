import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManagerConfig } from '../config/manager-config';
import { ContainerDirectory } from './container-directory';
import { MemberQuotas } from './member-quotas';

const MIB = 1024 * 1024;
const alice = { owner: 'alice', ownerId: 'id-alice' };

/** Quotas over a directory of one member with a snapshot and these backups (3 MiB in one, unless told). */
function quotas(config: Partial<ManagerConfig> = {}, backups = [{ bytes: 3 * MIB }]) {
  const directory = {
    live: async () => [{ ownerId: alice.ownerId, snapshots: [{ snapshot: 'one' }] }],
    backups: async (ownerId: string) => (ownerId === alice.ownerId ? backups : []),
  } as unknown as ContainerDirectory;
  const limits = { MEMBER_MAX_SNAPSHOTS: 2, MEMBER_MAX_BACKUPS: 3, MEMBER_MAX_BACKUP_MIB: 10 };
  return new MemberQuotas({ ...limits, ...config } as ManagerConfig, directory);
}

describe('MemberQuotas', () => {
  it('gives an export the bytes left of the quota, and holds them while it runs', async () => {
    const subject = quotas();
    const [first, second] = await Promise.all([
      subject.reserveBackup(alice),
      subject.reserveBackup(alice).catch((e: Error) => e),
    ]);
    assert.equal((first as { maxBytes: number }).maxBytes, 7 * MIB);
    assert.match(String(second), /has used all 10 MiB of their backup quota/);
    assert.equal((await subject.usage(alice.ownerId)).backups.mib.used, 10);
    (first as { release(): void }).release();
    assert.equal((await subject.usage(alice.ownerId)).backups.mib.used, 3);
    assert.equal((await subject.reserveBackup(alice)).maxBytes, 7 * MIB);
  });

  it('counts exports running against the number of backups', async () => {
    const subject = quotas({}, [{ bytes: MIB }, { bytes: MIB }]);
    await subject.reserveBackup(alice);
    await assert.rejects(subject.reserveBackup(alice), /has 3 backups, the most allowed \(3\)/);
  });

  it('holds a snapshot being made, so two at once cannot both take the last one', async () => {
    const subject = quotas();
    const [first, second] = await Promise.allSettled([
      subject.reserveSnapshot(alice),
      subject.reserveSnapshot(alice),
    ]);
    assert.equal(first.status, 'fulfilled');
    assert.match(String((second as PromiseRejectedResult).reason), /has 2 snapshots, the most allowed \(2\)/);
    assert.equal((await subject.usage(alice.ownerId)).snapshots.used, 2);
    (first as PromiseFulfilledResult<() => void>).value();
    assert.equal((await subject.usage(alice.ownerId)).snapshots.used, 1);
  });
});
