import { Injectable } from '@nestjs/common';
import { Conflict } from '@testausdeploy/domain';

/**
 * The projects being removed right now. While one is, nothing new may start on it (a deployment, a rollback, a
 * configuration change, a channel): each is refused with 409, and a deployment that was waiting for its
 * repository's lock is ended instead of run. Held in the Manager's memory, like the deploy locks.
 */
@Injectable()
export class ProjectRemovals {
  private readonly removing = new Set<string>();

  /** Runs the removal of `org/repo`, refusing a second one of it at once. */
  async run<T>(org: string, repo: string, removal: () => Promise<T>): Promise<T> {
    const key = `${org}/${repo}`;
    if (this.removing.has(key)) throw new Conflict(`${key} is being removed already`);
    this.removing.add(key);
    try {
      return await removal();
    } finally {
      this.removing.delete(key);
    }
  }

  isRemoving(org: string, repo: string): boolean {
    return this.removing.has(`${org}/${repo}`);
  }

  /** Refuses to start anything on a project being removed. */
  ensureNotRemoving(org: string, repo: string): void {
    if (this.isRemoving(org, repo)) {
      throw new Conflict(`${org}/${repo} is being removed: nothing new starts on it`);
    }
  }
}
