import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import * as net from 'node:net';
import { IcpError, IcpErrorCode } from '@testausdeploy/icp';
import { WorkerConfig } from '../config/worker-config';
import { LxdClient } from './lxd/lxd-client';
import type { MemberContainer } from './member-container';

// Refuses a user the image already has (root, daemon, sshd...): the member would share it with the system.
const ADD_USER = `set -e
if id "$1" >/dev/null 2>&1; then echo "the image already has a user $1" >&2; exit 3; fi
useradd --create-home --shell /bin/bash --user-group --groups sudo "$1"
printf '%s ALL=(ALL) NOPASSWD:ALL\\n' "$1" > /etc/sudoers.d/90-testausdeploy-member
chmod 0440 /etc/sudoers.d/90-testausdeploy-member
install -d -m 0700 -o "$1" -g "$1" "/home/$1/.ssh"
id -u "$1"; id -g "$1"`;

/** 20 keys of the longest kind accepted, with room to spare: an authorized_keys file the Worker wrote is smaller. */
const MAX_KEYS_BYTES = 64 * 1024;

/** Inside a member's container: their user, their SSH keys, and waiting for sshd. */
@Injectable()
export class ContainerSetup {
  constructor(
    private readonly lxd: LxdClient,
    private readonly config: WorkerConfig,
  ) {}

  /**
   * Creates the member's user with a home and passwordless sudo (the container is theirs; sudo is how they
   * administer it without logging in as root). Returns its uid and gid inside the container.
   */
  async addUser(name: string, user: string): Promise<{ uid: number; gid: number }> {
    const result = await this.lxd.exec.run(name, ['sh', '-c', ADD_USER, 'sh', user]);
    if (result.exitCode === 3) throw new IcpError(IcpErrorCode.InvalidData, result.stderr.trim());
    if (result.exitCode !== 0) {
      throw new IcpError(IcpErrorCode.CommandFailed, `adding user ${user} failed: ${result.stderr.trim()}`);
    }
    const [uid, gid] = result.stdout.trim().split('\n').map(Number);
    return { uid, gid };
  }

  /**
   * Replaces `~user/.ssh/authorized_keys` (0600, the user's). In a running container the new file is written
   * beside the old one and renamed over it, so sshd never reads half a file; a stopped one is written in place.
   */
  async writeKeys(container: MemberContainer, keys: string, running: boolean): Promise<void> {
    const { name, user, uid, gid } = container;
    if (uid === null || gid === null)
      throw new IcpError(IcpErrorCode.CommandFailed, `${name} has no user set up`);
    const file = `/home/${user}/.ssh/authorized_keys`;
    const own = { uid, gid, mode: 0o600 };
    if (!running) return this.lxd.files.push(name, file, keys, own);
    const temporary = `${file}.${randomBytes(4).toString('hex')}`;
    await this.lxd.files.push(name, temporary, keys, own);
    // The member may have replaced mv (they are root inside): its output is not recorded, its time is bounded.
    const moved = await this.lxd.exec.run(name, ['mv', '-f', temporary, file], {
      record: false,
      timeoutSeconds: 30,
    });
    if (moved.exitCode !== 0) {
      throw new IcpError(
        IcpErrorCode.CommandFailed,
        `replacing authorized_keys failed (mv exited with ${moved.exitCode})`,
      );
    }
  }

  /** The member's authorized_keys as it is now, or null if it is missing or larger than any we write. */
  async readKeys(container: MemberContainer): Promise<Buffer | null> {
    return this.lxd.files
      .pull(container.name, `/home/${container.user}/.ssh/authorized_keys`, MAX_KEYS_BYTES)
      .catch(() => null);
  }

  /** Resolves once sshd greets on 127.0.0.1:port (LXD's proxy accepts before sshd runs, then hangs up). */
  async waitForSsh(port: number): Promise<void> {
    const deadline = Date.now() + this.config.CONTAINER_SSH_TIMEOUT_MS;
    while (!(await sshGreets(port))) {
      if (Date.now() > deadline) {
        throw new IcpError(
          IcpErrorCode.CommandFailed,
          `sshd did not answer on 127.0.0.1:${port} within ${this.config.CONTAINER_SSH_TIMEOUT_MS / 1000}s`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function sshGreets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (greeted: boolean) => {
      socket.destroy();
      resolve(greeted);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once('data', (chunk) => done(chunk.toString('latin1').startsWith('SSH-')));
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
  });
}
