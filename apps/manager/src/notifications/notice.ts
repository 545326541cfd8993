import { NotificationTopic } from '@testausdeploy/domain';

/** What a channel is told: the same for every kind, shaped for each by the message formats. */
export interface Notice {
  /** `test` for a test message asked for one channel. */
  topic: NotificationTopic | 'test';
  /** The project it is about; null for the server's own affairs (nodes, firewall, containers). */
  org: string | null;
  repo: string | null;
  title: string;
  text: string;
  fields: { name: string; value: string }[];
  /** The dashboard's page of what it is about, when it has one. */
  link: string | null;
  /** Whether it says something went wrong: shown in red. */
  bad: boolean;
  occurredAt: string;
  /** Only this channel hears of it (a test message). */
  channelId?: string;
}

/** Text from the log (a failure's reason, a branch name) cut to `max` characters. */
export const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
