import { Injectable } from '@nestjs/common';

/** Most lines kept per operation. */
const MAX_LINES = 500;

interface Progress {
  operation: string;
  lines: string[];
  running: boolean;
  startedAt: Date;
}

/**
 * What the Worker reports while it creates, restores or exports a container (steps, bytes written), kept in
 * memory per container for `GET /containers/:name/progress`: the running operation's lines, or the last one's.
 * Output, not facts: it stays out of the event log and is gone when the Manager restarts.
 */
@Injectable()
export class ContainerProgress {
  private readonly byContainer = new Map<string, Progress>();

  /** Starts an operation's progress; the function returned takes each line. */
  open(name: string, operation: string): (line: string) => void {
    const progress: Progress = { operation, lines: [], running: true, startedAt: new Date() };
    this.byContainer.set(name, progress);
    return (line) => {
      progress.lines.push(line);
      progress.lines.splice(0, Math.max(0, progress.lines.length - MAX_LINES));
    };
  }

  /** Runs `work` with its progress recorded under `name`, and marks it ended however it ends. */
  async track<T>(
    name: string,
    operation: string,
    work: (onProgress: (line: string) => void) => Promise<T>,
  ): Promise<T> {
    const onProgress = this.open(name, operation);
    try {
      return await work(onProgress);
    } finally {
      const progress = this.byContainer.get(name);
      if (progress) progress.running = false;
    }
  }

  read(name: string): Progress | null {
    const progress = this.byContainer.get(name);
    return progress ? { ...progress, lines: [...progress.lines] } : null;
  }
}
