import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BACKUP_PIECE_BYTES, IcpData, IcpError, IcpErrorCode } from '@testausdeploy/icp';
import { WorkerConfig } from '../config/worker-config';
import { BackupDirectory } from './backup-directory';
import { BackupTransferHandler } from './backup-transfer.handler';

/** Two Workers' backup directories on this machine, and the Manager's loop between them as ContainerMoves runs it. */
describe('a backup carried between two Workers piece by piece', () => {
  let root: string;
  let from: BackupTransferHandler;
  let to: BackupTransferHandler;
  const content = randomBytes(2 * BACKUP_PIECE_BYTES + 12_345);
  const sha256 = createHash('sha256').update(content).digest('hex');
  const worker = (dir: string, minFreeMiB = 0) =>
    new BackupTransferHandler(
      new BackupDirectory({ BACKUP_DIR: dir, BACKUP_MIN_FREE_MIB: minFreeMiB } as WorkerConfig),
    );
  const refused = (code: string, message: RegExp) => (error: unknown) =>
    error instanceof IcpError && error.code === code && message.test(error.message);
  const piece = (offset: number, length = BACKUP_PIECE_BYTES) =>
    content.subarray(offset, offset + length).toString('base64');
  const write = (handler: BackupTransferHandler, data: Partial<IcpData<'writeBackup'>>) =>
    handler.write({
      name: 'box',
      backup: 'move-1',
      offset: 0,
      piece: piece(0),
      bytes: content.length,
      sha256,
      ...data,
    });
  const files = async (dir: string) => readdir(join(dir, 'box')).catch(() => []);

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'td-backup-transfer-'));
    from = worker(join(root, 'a'));
    to = worker(join(root, 'b'));
    await new BackupDirectory({ BACKUP_DIR: join(root, 'a') } as WorkerConfig).prepare('box');
    await writeFile(join(root, 'a', 'box', 'move-1.tar'), content, { mode: 0o600 });
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('arrives whole, with the SHA-256 the reading side gave, as a backup of the same name', async () => {
    let offset = 0;
    const first = await from.read({ name: 'box', backup: 'move-1', offset });
    assert.equal(first.bytes, content.length);
    assert.equal(first.sha256, sha256);
    let { piece: next } = first;
    let pieces = 0;
    for (;;) {
      pieces++;
      const { written, done } = await to.write({
        name: 'box',
        backup: 'move-1',
        offset,
        piece: next,
        bytes: first.bytes,
        sha256: first.sha256!,
      });
      if (done) break;
      offset = written;
      const later = await from.read({ name: 'box', backup: 'move-1', offset });
      assert.equal(later.sha256, null);
      next = later.piece;
    }
    assert.equal(pieces, 3);
    const arrived = join(root, 'b', 'box', 'move-1.tar');
    assert.deepEqual(await readFile(arrived), content);
    assert.equal((await stat(arrived)).mode & 0o777, 0o600);
    assert.deepEqual(await files(join(root, 'b')), ['move-1.tar']);
  });

  it('refuses to replace a backup of that name', async () => {
    await assert.rejects(write(to, {}), refused(IcpErrorCode.Conflict, /backup move-1 of box exists/));
  });

  it('refuses a piece out of order, and starts again from offset 0', async () => {
    const other = worker(join(root, 'c'));
    await write(other, {});
    await assert.rejects(
      write(other, { offset: 2 * BACKUP_PIECE_BYTES, piece: piece(2 * BACKUP_PIECE_BYTES) }),
      refused(IcpErrorCode.Conflict, /524288 bytes of backup move-1 of box are written, not 1048576/),
    );
    await write(other, {});
    const second = await write(other, { offset: BACKUP_PIECE_BYTES, piece: piece(BACKUP_PIECE_BYTES) });
    assert.deepEqual(second, { written: 2 * BACKUP_PIECE_BYTES, done: false });
  });

  it('keeps nothing when the bytes written are not the ones read', async () => {
    const other = worker(join(root, 'd'));
    const small = content.subarray(0, 1000);
    await assert.rejects(
      write(other, { piece: small.toString('base64'), bytes: small.length }),
      refused(IcpErrorCode.InvalidData, /the backup written has SHA-256 [0-9a-f]{64}, not [0-9a-f]{64}/),
    );
    assert.deepEqual(await files(join(root, 'd')), []);
  });

  it('refuses pieces that end past the size announced, or a short piece before the last', async () => {
    await assert.rejects(
      write(worker(join(root, 'e')), { bytes: 10 }),
      refused(IcpErrorCode.InvalidData, /the piece ends at 524288, past the 10 bytes announced/),
    );
    await assert.rejects(
      write(worker(join(root, 'e')), { piece: piece(0, 1000) }),
      refused(IcpErrorCode.InvalidData, /a piece before the last holds 524288 bytes, not 1000/),
    );
  });

  it('refuses a file the room kept free would not hold, before writing any of it', async () => {
    const full = worker(join(root, 'f'), 1024 * 1024);
    await assert.rejects(
      write(full, {}),
      refused(IcpErrorCode.QuotaExceeded, /the Worker keeps 1048576 MiB/),
    );
    assert.deepEqual(await files(join(root, 'f')), []);
  });

  it('reads nothing past the end, and nothing of a backup that is not there', async () => {
    const end = await from.read({ name: 'box', backup: 'move-1', offset: content.length });
    assert.equal(end.piece, '');
    await assert.rejects(
      from.read({ name: 'box', backup: 'move-1', offset: content.length + 1 }),
      refused(IcpErrorCode.InvalidData, /past the end of the backup/),
    );
    await assert.rejects(
      from.read({ name: 'box', backup: 'nothing', offset: 0 }),
      refused(IcpErrorCode.NotFound, /backup nothing of box not found/),
    );
  });
});
