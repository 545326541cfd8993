import { DomainEvent } from '../aggregate-root';
import { eventGuard } from '../event-guard';

/**
 * A Guardian found its firewall rules changed by someone else (a flushed table, an edited set, Docker's chain
 * without its rules) and restored them. `boot` and `sequence` identify the report on that Guardian.
 */
export type FirewallDriftDetected = DomainEvent<
  'FirewallDriftDetected',
  { guardian: string; boot: string; sequence: number; detectedAt: string; differences: string[] }
>;

/** The same, of the reverse proxy's configuration (its routes), which the Guardian also holds. */
export type ProxyDriftDetected = DomainEvent<'ProxyDriftDetected', FirewallDriftDetected['data']>;

export type FirewallEvent = FirewallDriftDetected | ProxyDriftDetected;

export const isFirewallEvent = eventGuard<FirewallEvent>(['FirewallDriftDetected', 'ProxyDriftDetected']);
