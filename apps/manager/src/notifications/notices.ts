import { Injectable } from '@nestjs/common';
import {
  BackupExported,
  CertificateFailed,
  Deployment,
  DeploymentFailed,
  DeploymentRequested,
  DeploymentSucceeded,
  FirewallDriftDetected,
  NodeUnreachable,
  ProxyDriftDetected,
  PollingBackedOff,
  ScheduledBackupFailed,
} from '@testausdeploy/domain';
import { EventStore, StoredEvent } from '@testausdeploy/events';
import { ManagerConfig } from '../config/manager-config';
import { cut, Notice } from './notice';

type Of<E extends { type: string; data: unknown }> = StoredEvent<E['type'], E['data']>;
type Base = Pick<Notice, 'occurredAt' | 'org' | 'repo' | 'fields' | 'link' | 'bad'>;

const short = (commit: string | undefined) => (commit ? commit.slice(0, 12) : 'unknown');

/** The most of a notice's title, text and each field a message carries, in characters. */
const LIMITS = { title: 200, text: 2000, field: 200 };
const bounded = (notice: Notice): Notice => ({
  ...notice,
  title: cut(notice.title, LIMITS.title),
  text: cut(notice.text, LIMITS.text),
  fields: notice.fields.map(({ name, value }) => ({ name, value: cut(value, LIMITS.field) })),
});

/**
 * Turns the events notifications are sent for into notices; every other event is none. What a notice says comes
 * from the log only, and no event it is made from holds a secret in clear.
 */
@Injectable()
export class Notices {
  private readonly dashboard: string;

  constructor(
    private readonly store: EventStore,
    config: ManagerConfig,
  ) {
    const base = config.PUBLIC_URL ?? `http://${config.MANAGER_HOST}:${config.MANAGER_PORT}`;
    this.dashboard = `${base.replace(/\/$/, '')}/ui`;
  }

  /** The notice of `event`, if it makes one, its texts cut to a message's size (a failure's reason can be long). */
  async of(event: StoredEvent): Promise<Notice | null> {
    const notice = await this.made(event);
    return notice && bounded(notice);
  }

  private async made(event: StoredEvent): Promise<Notice | null> {
    const base: Base = {
      occurredAt: event.metadata.time.toISOString(),
      org: null,
      repo: null,
      fields: [],
      link: null,
      bad: false,
    };
    switch (event.type) {
      case 'DeploymentSucceeded':
        return this.deployment(event as Of<DeploymentSucceeded>, base);
      case 'DeploymentFailed':
        return this.deployment(event as Of<DeploymentFailed>, base);
      case 'PollingBackedOff': {
        const { org, repo, branch, reason, retryInSeconds } = (event as Of<PollingBackedOff>).data;
        return {
          ...base,
          topic: 'polling.backedOff',
          org,
          repo,
          bad: true,
          title: `${org}/${repo}: the poller backs off`,
          text: `The head of ${branch} could not be read: ${reason}. It is tried again in ${retryInSeconds} s, then less and less often until it works.`,
          link: `${this.dashboard}/projects/${org}/${repo}`,
        };
      }
      case 'BackupExported': {
        if (event.metadata.actor !== 'scheduler') return null;
        const { name, backup, bytes } = (event as Of<BackupExported>).data;
        return {
          ...base,
          topic: 'backup.succeeded',
          title: `Scheduled backup of ${name} made`,
          text: `Backup ${backup} of container ${name}: ${(bytes / 1048576).toFixed(1)} MiB.`,
          link: `${this.dashboard}/containers/${name}`,
        };
      }
      case 'ScheduledBackupFailed': {
        const { container, owner, reason } = (event as Of<ScheduledBackupFailed>).data;
        return {
          ...base,
          topic: 'backup.failed',
          bad: true,
          title: `Scheduled backup of ${container} failed`,
          text: reason,
          fields: [{ name: 'Owner', value: owner }],
          link: `${this.dashboard}/containers/${container}`,
        };
      }
      case 'FirewallDriftDetected': {
        const { guardian, differences } = (event as Of<FirewallDriftDetected>).data;
        return {
          ...base,
          topic: 'firewall.repaired',
          bad: true,
          title: `Firewall drift repaired on ${guardian}`,
          text: `Someone else changed the firewall; the Guardian put its rules back. What differed: ${differences.slice(0, 10).join('; ')}`,
          link: `${this.dashboard}/admin/firewall`,
        };
      }
      case 'ProxyDriftDetected': {
        const { guardian, differences } = (event as Of<ProxyDriftDetected>).data;
        return {
          ...base,
          topic: 'firewall.repaired',
          bad: true,
          title: `Proxy drift repaired on ${guardian}`,
          text: `Someone else changed the proxy's configuration; the Guardian put its routes back. What differed: ${differences.slice(0, 10).join('; ')}`,
          link: null,
        };
      }
      case 'CertificateFailed': {
        const { org, repo, host, guardian, reason } = (event as Of<CertificateFailed>).data;
        return {
          ...base,
          topic: 'certificate.failed',
          org,
          repo,
          bad: true,
          title: `${org}/${repo}: no certificate for ${host}`,
          text: `The proxy could not get a certificate for ${host}, so it is not served over HTTPS; it keeps trying. Why: ${reason}`,
          fields: [{ name: 'Guardian', value: guardian }],
          link: `${this.dashboard}/projects/${org}/${repo}`,
        };
      }
      case 'NodeUnreachable': {
        const { node, kind, since } = (event as Of<NodeUnreachable>).data;
        return {
          ...base,
          topic: 'node.unreachable',
          bad: true,
          title: `${kind === 'worker' ? 'Worker' : 'Guardian'} ${node} is unreachable`,
          text: `The Manager has had no session with ${node} since ${since}; it keeps dialling.`,
          link: `${this.dashboard}/admin/nodes`,
        };
      }
      case 'NotificationTestRequested':
        return {
          ...base,
          topic: 'test',
          channelId: (event.data as { channelId: string }).channelId,
          title: 'Test message from Testausdeploy',
          text: `${event.metadata.actor} asked for a test message: this channel works.`,
        };
      default:
        return null;
    }
  }

  /** A deployment's outcome, told with its request (the stream's first event: project, branch, rollback). */
  private async deployment(
    event: Of<DeploymentSucceeded> | Of<DeploymentFailed>,
    base: Base,
  ): Promise<Notice> {
    const { deploymentId } = event.data;
    const [requested] = (await this.store.readStream(
      Deployment.streamId(deploymentId),
    )) as Of<DeploymentRequested>[];
    const { org, repo, branch, requestedBy, pinned } = requested.data;
    const fields = [
      { name: 'Branch', value: branch },
      { name: 'Commit', value: short(event.data.commit) },
      { name: 'Requested by', value: requestedBy },
    ];
    const about = { ...base, org, repo, fields, link: `${this.dashboard}/deployments/${deploymentId}` };
    if (event.type === 'DeploymentFailed') {
      return {
        ...about,
        topic: 'deployment.failed',
        bad: true,
        title: `${org}/${repo} failed to deploy`,
        text: event.data.reason,
      };
    }
    if (pinned) {
      return {
        ...about,
        topic: 'deployment.rolledBack',
        title: `${org}/${repo} rolled back`,
        text: `Commit ${short(pinned.commit)} runs again, as attempt ${pinned.rollbackOf} ran it.`,
      };
    }
    return {
      ...about,
      topic: 'deployment.succeeded',
      title: `${org}/${repo} deployed`,
      text: `Commit ${short(event.data.commit)} of ${branch} runs.`,
    };
  }
}
