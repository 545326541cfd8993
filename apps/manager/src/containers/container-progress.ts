import { Injectable } from '@nestjs/common';

/** Most lines kept per operation. */
const MAX_LINES = 500;

export interface Progress {
  operation: string;
  lines: string[];
  running: boolean;
  startedAt: Date;
}

/** Which container: a name and its incarnation, so a later container of the name never sees an earlier one's. */
interface Incarnation {
  name: string;
  incarnation: string;
}

const key = ({ name, incarnation }: Incarnation) => `${name}/${incarnation}`;

/**
 * What the Worker reports while it creates, restores or exports a container (steps, bytes written), kept in
 * memory per container for `GET /containers/:name/progress`: the running operation's lines, or the last one's.
 * Output, not facts: it stays out of the event log and is gone when the Manager restarts.
 */
@Injectable()
export class ContainerProgress {
  private readonly byContainer = new Map<string, Progress>();

  /** Starts an operation's progress; the function returned takes each line. */
  private open(container: Incarnation, operation: string): (line: string) => void {
    const progress: Progress = { operation, lines: [], running: true, startedAt: new Date() };
    this.byContainer.set(key(container), progress);
    return (line) => {
      progress.lines.push(line);
      progress.lines.splice(0, Math.max(0, progress.lines.length - MAX_LINES));
    };
  }

  /** Runs `work` with its progress recorded under the container, and marks it ended however it ends. */
  async track<T>(
    container: Incarnation,
    operation: string,
    work: (onProgress: (line: string) => void) => Promise<T>,
  ): Promise<T> {
    const onProgress = this.open(container, operation);
    try {
      return await work(onProgress);
    } finally {
      const progress = this.byContainer.get(key(container));
      if (progress) progress.running = false;
    }
  }

  read(container: Incarnation): Progress | null {
    const progress = this.byContainer.get(key(container));
    return progress ? { ...progress, lines: [...progress.lines] } : null;
  }
}
