import { instancePath, type LxdSocket } from './lxd-socket';

export interface FileOwnership {
  /** Inside the container's own id space (0 is its root). Default 0. */
  uid?: number;
  gid?: number;
  /** Default 0o644 for files, 0o755 for directories. */
  mode?: number;
}

function filePath(instance: string, path: string): string {
  return `${instancePath(instance, 'files')}?path=${encodeURIComponent(path)}`;
}

function ownershipHeaders(type: 'file' | 'directory', own: FileOwnership): Record<string, string> {
  return {
    'X-LXD-type': type,
    'X-LXD-uid': String(own.uid ?? 0),
    'X-LXD-gid': String(own.gid ?? 0),
    'X-LXD-mode': (own.mode ?? (type === 'file' ? 0o644 : 0o755)).toString(8).padStart(4, '0'),
  };
}

/** Files inside a container: `/1.0/instances/NAME/files?path=...`. The container need not be running. */
export class LxdFiles {
  constructor(private readonly socket: LxdSocket) {}

  /**
   * Writes (or overwrites) a file. The body must go as application/octet-stream: with a form content type
   * LXD writes an empty file and still answers 200.
   */
  async push(
    instance: string,
    path: string,
    content: Buffer | string,
    own: FileOwnership = {},
  ): Promise<void> {
    await this.socket.call({
      method: 'POST',
      path: filePath(instance, path),
      body: Buffer.from(content),
      headers: {
        ...ownershipHeaders('file', own),
        'X-LXD-write': 'overwrite',
        'Content-Type': 'application/octet-stream',
      },
    });
  }

  /** Creates a directory (its parent must exist). */
  async mkdir(instance: string, path: string, own: FileOwnership = {}): Promise<void> {
    await this.socket.call({
      method: 'POST',
      path: filePath(instance, path),
      headers: ownershipHeaders('directory', own),
    });
  }

  /** A regular file's contents, if it holds at most `maxBytes` (an LxdError 413 if more). */
  pull(instance: string, path: string, maxBytes: number): Promise<Buffer> {
    return this.socket.bytes({ path: filePath(instance, path) }, maxBytes);
  }

  async remove(instance: string, path: string): Promise<void> {
    await this.socket.call({ method: 'DELETE', path: filePath(instance, path) });
  }
}
