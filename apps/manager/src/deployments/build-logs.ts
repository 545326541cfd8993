import { Injectable } from '@nestjs/common';
import { Db } from 'mongodb';

/** Most lines kept per attempt (the last ones are dropped beyond), and characters per line. */
const MAX_LINES = 5000;
const MAX_LINE = 2000;

interface BuildLog {
  _id: string;
  lines: string[];
  truncated: boolean;
}

/**
 * The git and compose output of each deployment attempt, as the Worker streamed it. Output, not facts: it
 * stays out of the event log (it can be large, and nothing is decided from it) and is kept in `build_logs`,
 * one document per attempt, written when the attempt ends; while it runs, it is read from memory.
 */
@Injectable()
export class BuildLogs {
  private readonly running = new Map<string, BuildLog>();

  constructor(private readonly db: Db) {}

  /** Starts collecting an attempt's output; returns the function that takes each line. */
  open(deploymentId: string): (line: string) => void {
    const log: BuildLog = { _id: deploymentId, lines: [], truncated: false };
    this.running.set(deploymentId, log);
    return (line) => {
      if (log.lines.length >= MAX_LINES) log.truncated = true;
      else log.lines.push(line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line);
    };
  }

  async close(deploymentId: string): Promise<void> {
    const log = this.running.get(deploymentId);
    if (!log) return;
    await this.logs().replaceOne({ _id: deploymentId }, log, { upsert: true });
    this.running.delete(deploymentId);
  }

  /** The attempt's output so far, and whether it is still running; null if it never produced a log. */
  async read(
    deploymentId: string,
  ): Promise<{ lines: string[]; truncated: boolean; running: boolean } | null> {
    const live = this.running.get(deploymentId);
    if (live) return { lines: [...live.lines], truncated: live.truncated, running: true };
    const stored = await this.logs().findOne({ _id: deploymentId });
    return stored && { lines: stored.lines, truncated: stored.truncated, running: false };
  }

  private logs() {
    return this.db.collection<BuildLog>('build_logs');
  }
}
