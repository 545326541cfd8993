import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isInside } from '../policy/checkout-paths';
import { GitRepositories } from '../git-repositories';

/**
 * The checkouts compose projects build and mount from: `<root>/<project>/<commit>-<random>`, a fresh one for
 * every deployment attempt, so no file of a running version (nor anything a container of it may have written)
 * carries over into the next. A checkout is kept while the project's checked file or one of its containers uses
 * it, and removed after that.
 */
export class ProjectCheckouts {
  private readonly root: string;

  constructor(
    root: string,
    private readonly git: GitRepositories,
  ) {
    this.root = path.resolve(root);
  }

  /** Checks `commit` of org/repo out into a new directory of `project`'s, and returns its real path. */
  async create(project: string, org: string, repo: string, commit: string): Promise<string> {
    const parent = this.projectDir(project);
    await fs.mkdir(parent, { recursive: true, mode: 0o700 });
    const dir = path.join(parent, `${commit.slice(0, 12)}-${randomBytes(4).toString('hex')}`);
    try {
      await this.git.checkoutInto(org, repo, commit, dir);
    } catch (error) {
      await fs.rm(dir, { recursive: true, force: true });
      throw error;
    }
    return fs.realpath(dir);
  }

  /** Removes every checkout of `project` but those that hold one of the paths in `used`. */
  async prune(project: string, used: readonly string[]): Promise<void> {
    const parent = await fs.realpath(this.projectDir(project)).catch(() => null);
    if (!parent) return;
    for (const name of await fs.readdir(parent)) {
      const dir = path.join(parent, name);
      if (!used.some((file) => isInside(dir, file))) await fs.rm(dir, { recursive: true, force: true });
    }
  }

  /** Removes one checkout (an attempt that never reached compose). */
  async discard(dir: string): Promise<void> {
    if (isInside(this.root, dir) && dir !== this.root) await fs.rm(dir, { recursive: true, force: true });
  }

  /** Removes all of `project`'s checkouts (the project was removed). */
  async removeAll(project: string): Promise<void> {
    await fs.rm(this.projectDir(project), { recursive: true, force: true });
  }

  private projectDir(project: string): string {
    return path.join(this.root, project);
  }
}
