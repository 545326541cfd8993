import type Dockerode from 'dockerode';
import { DockerLogLines } from './docker-log-lines';
import type { ContainerView } from './project-containers';

export interface LogReading {
  /** Lines from the end of each container's log to start with. */
  tail: number;
  follow: boolean;
  /** Only output from this moment on (ISO 8601). */
  since?: string;
  /** Stops the reading: the docker streams are closed. */
  signal: AbortSignal;
}

/** dockerd's RFC 3339 timestamp before each line (it was asked for them), and the line after it. */
const STAMPED = /^(\S+) (.*)$/s;

/**
 * Containers' output from dockerd's log endpoint, each line `<service> | <text>`. Without `follow`, the tails
 * of all containers are merged in time order (by dockerd's timestamps, which are then left out); with it, each
 * container's lines go out as they arrive, until every container has stopped or the signal aborts.
 */
export class ContainerLogs {
  constructor(private readonly docker: Dockerode) {}

  async read(
    containers: ContainerView[],
    reading: LogReading,
    onLine: (line: string) => void,
  ): Promise<void> {
    if (reading.follow) {
      await Promise.all(containers.map((container) => this.follow(container, reading, onLine)));
      return;
    }
    const stamped = await Promise.all(containers.map((container) => this.tail(container, reading)));
    stamped
      .flat()
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
      .forEach(({ line }) => onLine(line));
  }

  private async tail(view: ContainerView, reading: LogReading): Promise<{ at: string; line: string }[]> {
    const container = this.docker.getContainer(view.id);
    const tty = await this.tty(container);
    const bytes = await container.logs({ ...this.options(reading), follow: false });
    const lines: { at: string; line: string }[] = [];
    const parser = new DockerLogLines(tty, (stamped) => {
      const match = STAMPED.exec(stamped);
      lines.push({ at: sortable(match?.[1] ?? ''), line: `${view.service} | ${match?.[2] ?? stamped}` });
    });
    parser.push(bytes);
    parser.end();
    return lines;
  }

  private async follow(view: ContainerView, reading: LogReading, onLine: (line: string) => void) {
    const container = this.docker.getContainer(view.id);
    const tty = await this.tty(container);
    if (reading.signal.aborted) return;
    const stream = await container.logs({ ...this.options(reading), follow: true }).catch((error) => {
      if (reading.signal.aborted) return null;
      throw error;
    });
    if (!stream) return;
    const parser = new DockerLogLines(tty, (stamped) =>
      onLine(`${view.service} | ${STAMPED.exec(stamped)?.[2] ?? stamped}`),
    );
    await new Promise<void>((resolve, reject) => {
      const stop = () => (stream as unknown as { destroy(): void }).destroy();
      reading.signal.addEventListener('abort', stop, { once: true });
      stream.on('data', (chunk: Buffer) => parser.push(chunk));
      stream.on('error', (error: Error) => (reading.signal.aborted ? undefined : reject(error)));
      stream.on('close', () => {
        reading.signal.removeEventListener('abort', stop);
        parser.end();
        resolve();
      });
    });
  }

  private options(reading: LogReading) {
    return {
      stdout: true,
      stderr: true,
      timestamps: true,
      tail: reading.tail,
      abortSignal: reading.signal,
      ...(reading.since && { since: Math.floor(Date.parse(reading.since) / 1000) }),
    };
  }

  private async tty(container: Dockerode.Container): Promise<boolean> {
    return (await container.inspect()).Config.Tty;
  }
}

/** dockerd trims trailing zeros of the fraction; padded to nanoseconds, timestamps sort as strings. */
function sortable(at: string): string {
  const match = /^(.*?)(?:\.(\d+))?Z$/.exec(at);
  return match ? `${match[1]}.${(match[2] ?? '').padEnd(9, '0')}` : at;
}
