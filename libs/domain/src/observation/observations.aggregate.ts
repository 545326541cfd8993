import { AggregateRoot } from '../aggregate-root';
import {
  CertificateFailed,
  NodeStateDiffered,
  NodeUnreachable,
  ObservationEvent,
  PollingBackedOff,
  ScheduledBackupFailed,
} from './observation.events';

/**
 * What the Manager saw go wrong on its own (nobody's request): one stream per subject, so a subject's history is
 * in one place. Nothing is decided from these facts; they are kept for the audit and for notifications.
 */
export class Observations extends AggregateRoot<ObservationEvent> {
  private constructor(readonly streamId: string) {
    super();
  }

  static ofPolling(org: string, repo: string): Observations {
    return new Observations(`observed-polling-${org}/${repo}`);
  }

  static ofBackups(container: string): Observations {
    return new Observations(`observed-backups-${container}`);
  }

  static ofNode(node: string): Observations {
    return new Observations(`observed-node-${node}`);
  }

  static ofCertificates(org: string, repo: string): Observations {
    return new Observations(`observed-certificates-${org}/${repo}`);
  }

  pollingBackedOff(data: PollingBackedOff['data']): void {
    this.record({ type: 'PollingBackedOff', data });
  }

  scheduledBackupFailed(data: ScheduledBackupFailed['data']): void {
    this.record({ type: 'ScheduledBackupFailed', data });
  }

  nodeUnreachable(data: NodeUnreachable['data']): void {
    this.record({ type: 'NodeUnreachable', data });
  }

  nodeStateDiffered(data: NodeStateDiffered['data']): void {
    this.record({ type: 'NodeStateDiffered', data });
  }

  certificateFailed(data: CertificateFailed['data']): void {
    this.record({ type: 'CertificateFailed', data });
  }

  protected apply(): void {
    // Facts only: nothing here depends on earlier ones.
  }
}
