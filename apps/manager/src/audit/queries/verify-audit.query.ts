import { Query } from '@nestjs/cqrs';
import { ChainBreak } from '@testausdeploy/events';

export interface ChainReport {
  ok: boolean;
  checked: number;
  head: number;
  firstBreak: ChainBreak | null;
}

/** Recomputes the event log's hash chain: the one query that reads the log itself, since it checks the log. */
export class VerifyAuditQuery extends Query<ChainReport> {}
