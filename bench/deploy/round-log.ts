import { open } from 'node:fs/promises';

export interface Round {
  repositories: number;
  ms: number;
  failed: number;
  followed: number;
}

const ROUND = /poll round: (\d+) repositories in (\d+) ms \(\d+ unchanged, (\d+) followed, (\d+) failed/;

/** The Manager's poll rounds as its log reports them (the `poll round:` debug line of RepositoryPoller). */
export class RoundLog {
  private offset = 0;
  private pending = '';

  constructor(private readonly file: string) {}

  /** Waits for the next round that checked exactly `repositories`, skipping others. */
  async next(repositories: number, timeoutMs = 600_000): Promise<Round> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const line of await this.newLines()) {
        const match = ROUND.exec(line);
        if (!match || Number(match[1]) !== repositories) continue;
        const [ms, followed, failed] = [match[2], match[3], match[4]].map(Number);
        return { repositories, ms, followed, failed };
      }
      if (Date.now() > deadline) throw new Error(`no round of ${repositories} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  private async newLines(): Promise<string[]> {
    const file = await open(this.file);
    try {
      const { size } = await file.stat();
      if (size <= this.offset) return [];
      const chunk = Buffer.alloc(size - this.offset);
      await file.read(chunk, 0, chunk.length, this.offset);
      this.offset = size;
      const lines = (this.pending + chunk.toString('utf8')).split('\n');
      this.pending = lines.pop() ?? '';
      return lines;
    } finally {
      await file.close();
    }
  }
}
