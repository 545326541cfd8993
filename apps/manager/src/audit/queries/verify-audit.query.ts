import { Query } from '@nestjs/cqrs';
import { ChainCheck } from '@testausdeploy/events';

export interface ChainReport extends ChainCheck {
  /** The newest head signed outside the database that the log was checked against (null: none yet). */
  signedHead: { position: number; signedAt: string } | null;
}

/**
 * Recomputes the event log's hash chain and checks it against the newest signed head: the one query that reads
 * the log itself, since it checks the log.
 */
export class VerifyAuditQuery extends Query<ChainReport> {}
