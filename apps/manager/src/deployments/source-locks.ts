import { Injectable } from '@nestjs/common';

/** Who is deploying a repository right now: what `GET /deployments/locks` shows. */
export interface SourceLock {
  org: string;
  repo: string;
  deploymentId: string;
  requestedBy: string;
  since: Date;
  /** The commit being deployed, once the Worker has checked it out. */
  commit: string | null;
}

/**
 * One deployment at a time per repository (its compose project is one per repository): a trigger that
 * arrives while another runs waits for it, in order, and the one running is visible. Held in the Manager's
 * memory, which is where deployments are run from.
 */
@Injectable()
export class SourceLocks {
  private readonly held = new Map<string, SourceLock>();
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `work` holding the repository's lock, after whoever holds or awaits it now. */
  async run<T>(
    lock: Omit<SourceLock, 'since' | 'commit'>,
    work: (held: SourceLock) => Promise<T>,
  ): Promise<T> {
    const key = `${lock.org}/${lock.repo}`;
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const tail = previous.then(() => new Promise<void>((resolve) => (release = resolve)));
    this.tails.set(key, tail);
    await previous;
    const held: SourceLock = { ...lock, since: new Date(), commit: null };
    this.held.set(key, held);
    try {
      return await work(held);
    } finally {
      this.held.delete(key);
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  holder(org: string, repo: string): SourceLock | undefined {
    return this.held.get(`${org}/${repo}`);
  }

  all(): SourceLock[] {
    return [...this.held.values()];
  }
}
