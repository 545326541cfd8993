import { AggregateRoot } from '../aggregate-root';
import { FirewallDriftDetected, FirewallEvent } from './firewall.events';

/** What happened to one Guardian's firewall, one stream per Guardian. */
export class GuardianFirewall extends AggregateRoot<FirewallEvent> {
  constructor(readonly guardian: string) {
    super();
  }

  static streamId(guardian: string): string {
    return `firewall-${guardian}`;
  }

  recordDrift(report: Omit<FirewallDriftDetected['data'], 'guardian'>): void {
    this.record({ type: 'FirewallDriftDetected', data: { guardian: this.guardian, ...report } });
  }

  protected apply(): void {
    // Drift reports are facts to keep; nothing decided later depends on them.
  }
}
