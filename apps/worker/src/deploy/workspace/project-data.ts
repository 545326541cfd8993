import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { IcpError, IcpErrorCode } from '@testausdeploy/icp';

/**
 * What a project keeps across redeploys besides its named volumes: the data of its bind mounts of paths its
 * commit does not have (`./data:/data` with no `data/` in the repository), in `<root>/<project>/mounts/`, and
 * whose project it is (`<root>/<project>/source`).
 *
 * Every such mount gets a directory of its own right below `mounts/`, named for its path in the checkout
 * (`data`, `web%2Fuploads`): no container ever has `mounts/` itself, so none can swap one of those directories
 * for a symlink before dockerd mounts it, as it could a path inside a directory it has mounted.
 */
export class ProjectData {
  private readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /**
   * Records that `project` is `source`'s (`org/repo`, lowercased), or checks that it already is: a project name
   * (with its volumes and data) never passes to another repository while it has data.
   */
  async claim(project: string, source: string): Promise<void> {
    const dir = this.projectDir(project);
    const file = path.join(dir, 'source');
    await fs.mkdir(path.join(dir, 'mounts'), { recursive: true, mode: 0o700 });
    const owner = await fs.readFile(file, 'utf8').catch(() => null);
    if (owner === null) {
      await fs
        .writeFile(file, `${source}\n`, { mode: 0o600, flag: 'wx' })
        .catch(async (error: NodeJS.ErrnoException) => {
          if (error.code !== 'EEXIST') throw error;
          await this.claim(project, source);
        });
      return;
    }
    if (owner.trim() !== source) {
      throw new IcpError(
        IcpErrorCode.Conflict,
        `the compose project ${project} belongs to ${owner.trim()}, not ${source}: remove that deployment with its volumes first`,
      );
    }
  }

  /**
   * Makes the directory that holds the data of `project`'s bind mount of `relative`, if missing. `legacyClone`, the project's clone from before checkouts were separate, gives up the data that
   * services kept there: the directory is moved over, once.
   */
  async prepare(project: string, relative: string, legacyClone?: string): Promise<string> {
    const dir = this.mountDir(project, relative);
    const existing = await fs.lstat(dir).catch(() => null);
    if (existing?.isDirectory()) return dir;
    if (existing) throw new Error(`${dir} is not a directory`);
    await fs.mkdir(path.dirname(dir), { recursive: true, mode: 0o700 });
    if (legacyClone && (await this.adopt(relative, legacyClone, dir))) return dir;
    await fs.mkdir(dir, { mode: 0o755 });
    await fs.chmod(dir, 0o755);
    return dir;
  }

  /** Where the data of `project`'s bind mount of `relative` (a path inside its checkout) is kept. */
  mountDir(project: string, relative: string): string {
    return path.join(this.projectDir(project), 'mounts', encodeURIComponent(relative));
  }

  /** Where the project's data is (what its disk use counts). */
  dir(project: string): string {
    return this.projectDir(project);
  }

  /** Removes the project's data and its claim (the project was removed with its volumes). */
  async remove(project: string): Promise<void> {
    await fs.rm(this.projectDir(project), { recursive: true, force: true });
  }

  /**
   * Moves `relative` of the legacy clone to `dir` if it is a directory reached through no symlink: a container
   * could write there, and a symlink would lead the move elsewhere.
   */
  private async adopt(relative: string, legacyClone: string, dir: string): Promise<boolean> {
    const clone = await fs.realpath(legacyClone).catch(() => null);
    const real = clone && (await fs.realpath(path.join(clone, relative)).catch(() => null));
    if (!clone || !real || path.relative(clone, real) !== path.normalize(relative) || real === clone)
      return false;
    if (!(await fs.lstat(path.join(clone, '.git')).catch(() => null))?.isDirectory()) return false;
    if (!(await fs.lstat(real)).isDirectory()) return false;
    await fs.rename(real, dir).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EXDEV') throw error;
      await fs.cp(real, dir, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
      await fs.rm(real, { recursive: true, force: true });
    });
    return true;
  }

  private projectDir(project: string): string {
    return path.join(this.root, project);
  }
}
