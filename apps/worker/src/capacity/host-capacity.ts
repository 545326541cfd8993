import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NodeCapacity } from '@testausdeploy/icp';

/** The host's CPUs, load and memory as the kernel reports them now. */
export async function hostCapacity(): Promise<Pick<NodeCapacity, 'cpus' | 'load1' | 'memory'>> {
  const meminfo = await fs.readFile('/proc/meminfo', 'utf8');
  const available = /^MemAvailable:\s+(\d+) kB$/m.exec(meminfo);
  return {
    cpus: os.availableParallelism(),
    load1: Math.round(os.loadavg()[0] * 100) / 100,
    memory: {
      totalBytes: os.totalmem(),
      availableBytes: available ? Number(available[1]) * 1024 : os.freemem(),
    },
  };
}

/** Size and room left (for an unprivileged writer) of the file system `dir` is on, or will be on once made. */
export async function fileSystemSpace(dir: string): Promise<NodeCapacity['repositories']> {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    const stats = await fs.statfs(at).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' && at !== '/') return null;
      throw error;
    });
    if (stats) return { totalBytes: stats.blocks * stats.bsize, freeBytes: stats.bavail * stats.bsize };
  }
}
