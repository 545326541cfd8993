import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { BACKUP_PIECE_BYTES, IcpData, IcpError, IcpErrorCode, IcpResult } from '@testausdeploy/icp';
import { KeyedLock } from '@testausdeploy/service';
import { BackupDirectory } from './backup-directory';
import { conflict } from './container-errors';

/**
 * ICP `readBackup` and `writeBackup`: a backup's file carried from one Worker to another through the Manager,
 * piece by piece (docs/containers.md, "Moving a container"). The file being written is `<backup>.tar.incoming`
 * beside where it goes, and becomes the backup only whole and with the SHA-256 the reading side's bytes had; a
 * file of that name already there is never replaced. Writes of one file run one at a time, in order.
 */
@Injectable()
export class BackupTransferHandler {
  private readonly writes = new KeyedLock();

  constructor(private readonly directory: BackupDirectory) {}

  async read({ name, backup, offset }: IcpData<'readBackup'>): Promise<IcpResult<'readBackup'>> {
    const { file, bytes } = await this.directory.info(name, backup);
    if (offset > bytes) throw invalid(`offset ${offset} is past the end of the backup (${bytes} bytes)`);
    const handle = await fs.open(file, 'r');
    try {
      const buffer = Buffer.alloc(Math.min(BACKUP_PIECE_BYTES, bytes - offset));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
      const sha256 = offset === 0 ? await fileSha256(file) : null;
      return { piece: buffer.subarray(0, bytesRead).toString('base64'), bytes, sha256 };
    } finally {
      await handle.close();
    }
  }

  write(data: IcpData<'writeBackup'>): Promise<IcpResult<'writeBackup'>> {
    return this.writes.run(`${data.name}/${data.backup}`, () => this.writeInOrder(data));
  }

  private async writeInOrder({
    name,
    backup,
    offset,
    piece,
    bytes,
    sha256,
  }: IcpData<'writeBackup'>): Promise<IcpResult<'writeBackup'>> {
    const content = Buffer.from(piece, 'base64');
    const written = offset + content.length;
    if (written > bytes) throw invalid(`the piece ends at ${written}, past the ${bytes} bytes announced`);
    if (written < bytes && content.length !== BACKUP_PIECE_BYTES) {
      throw invalid(`a piece before the last holds ${BACKUP_PIECE_BYTES} bytes, not ${content.length}`);
    }
    if (await this.directory.exists(name, backup)) throw conflict(`backup ${backup} of ${name} exists`);
    const file = this.directory.file(name, backup);
    const incoming = this.directory.incoming(file);
    if (offset === 0) {
      await this.directory.prepare(name);
      await this.directory.ensureRoom(bytes);
      await fs.writeFile(incoming, content, { mode: 0o600 });
    } else {
      const has = await fs.stat(incoming).then(
        (stat) => stat.size,
        () => 0,
      );
      if (has !== offset)
        throw conflict(`${has} bytes of backup ${backup} of ${name} are written, not ${offset}`);
      // Checked for each piece too: the room there was at the first may have gone to an export meanwhile.
      await this.directory.ensureRoom(content.length);
      await fs.appendFile(incoming, content);
    }
    if (written < bytes) return { written, done: false };
    try {
      const actual = await fileSha256(incoming);
      if (actual !== sha256) throw invalid(`the backup written has SHA-256 ${actual}, not ${sha256}`);
      // A link fails if the name was taken meanwhile, where a rename would overwrite that backup.
      await fs.link(incoming, file).catch((err: NodeJS.ErrnoException) => {
        throw err.code === 'EEXIST' ? conflict(`backup ${backup} of ${name} exists`) : err;
      });
    } finally {
      await fs.rm(incoming, { force: true });
    }
    return { written, done: true };
  }
}

function invalid(reason: string): IcpError {
  return new IcpError(IcpErrorCode.InvalidData, reason);
}

async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
