import { AggregateRoot } from '../aggregate-root';
import { FirewallDriftDetected, FirewallEvent } from './firewall.events';

/** What happened to one Guardian's firewall and proxy, one stream per Guardian. */
export class GuardianFirewall extends AggregateRoot<FirewallEvent> {
  constructor(readonly guardian: string) {
    super();
  }

  static streamId(guardian: string): string {
    return `firewall-${guardian}`;
  }

  recordDrift(
    report: Omit<FirewallDriftDetected['data'], 'guardian'>,
    of: 'firewall' | 'proxy' = 'firewall',
  ): void {
    const type = of === 'proxy' ? 'ProxyDriftDetected' : 'FirewallDriftDetected';
    this.record({ type, data: { guardian: this.guardian, ...report } });
  }

  protected apply(): void {
    // Drift reports are facts to keep; nothing decided later depends on them.
  }
}
