import { randomUUID } from 'node:crypto';
import { DriftReport } from '@testausdeploy/icp';

/** At most this many unacknowledged drift reports are kept; older ones are dropped (and were logged). */
const MAX_DRIFT_REPORTS = 100;

/**
 * What the Guardian found changed behind its back and put back, kept until the Manager has recorded it: the
 * reports ride on the answer to its next apply, and it acknowledges the newest one it recorded.
 */
export class DriftLog {
  private readonly reports: DriftReport[] = [];
  private readonly boot = randomUUID();
  private sequence = 0;

  record(differences: string[]): void {
    const detectedAt = new Date().toISOString();
    this.reports.push({ sequence: ++this.sequence, boot: this.boot, detectedAt, differences });
    this.reports.splice(0, Math.max(0, this.reports.length - MAX_DRIFT_REPORTS));
  }

  /** Drops the reports up to `sequence` of this Guardian process (another process's numbers mean nothing here). */
  acknowledge(boot: string, sequence: number): void {
    if (boot !== this.boot) return;
    const kept = this.reports.filter((report) => report.sequence > sequence);
    this.reports.splice(0, this.reports.length, ...kept);
  }

  unacknowledged(): DriftReport[] {
    return [...this.reports];
  }
}
