import { z } from 'zod';
import { firewallState, nodeCapacity } from '@testausdeploy/icp';
import { RebuildProgress } from '@testausdeploy/events';
import { AuditPage } from '../../audit/queries/search-audit.query';
import { ChainReport } from '../../audit/queries/verify-audit.query';
import { FirewallSyncStatus } from '../../firewall/firewall-sync';
import { NodeStatus } from '../../nodes/node-status';
import { Stats } from '../../stats/queries/get-stats.query';
import { IssuedToken } from '../../members/commands/issue-member-token.command';
import { ListedToken } from '../../members/member-tokens';
import { describing, time } from './described';

export const health = z.strictObject({ status: z.literal('ok'), worker: z.boolean(), guardian: z.boolean() });

export const nodeStatus = describing<NodeStatus>()(
  z.strictObject({
    name: z.string(),
    kind: z.enum(['worker', 'guardian']),
    url: z.string(),
    fingerprint: z.string(),
    guardian: z.string().nullable(),
    labels: z.array(z.string()),
    draining: z.boolean(),
    enrolledBy: z.string(),
    enrolledAt: time,
    keyRotatedAt: time.nullable(),
    connected: z.boolean(),
    unreachableSince: time.nullable(),
    capacity: nodeCapacity.extend({ at: time }).nullable(),
    projects: z.array(z.string()),
    /** Projects that moved away, whose old copy is still to be removed there. */
    leftOvers: z.array(z.string()),
    containers: z.array(z.string()),
    backups: z.array(z.string()),
  }),
);

const role = z.enum(['member', 'admin']);
export const member = z.strictObject({
  name: z.string(),
  role,
  addedBy: z.string(),
  addedAt: time,
  tokenReplacedAt: time.nullable(),
  identities: z.array(
    z.strictObject({ provider: z.enum(['github', 'oidc']), login: z.string(), signedIn: z.boolean() }),
  ),
});
export const linkedIdentity = z.strictObject({
  name: z.string(),
  provider: z.enum(['github', 'oidc']),
  login: z.string(),
});
export const signInRefusal = z.strictObject({ reason: z.string() });
export const signInProviders = z.strictObject({
  github: z.boolean(),
  oidc: z.strictObject({ name: z.string() }).nullable(),
});
export const memberWithToken = z.strictObject({ name: z.string(), role, token: z.string() });
export const memberToken = z.strictObject({ name: z.string(), token: z.string() });
const scope = z.enum(['read', 'full']);
export const listedToken = describing<ListedToken>()(
  z.strictObject({
    id: z.string(),
    name: z.string(),
    scope,
    issuedAt: time,
    expiresAt: time,
    expired: z.boolean(),
    lastUsedAt: time.nullable(),
  }),
);
export const issuedToken = describing<IssuedToken>()(
  z.strictObject({ id: z.string(), name: z.string(), scope, expiresAt: time, token: z.string() }),
);
export const memberRole = z.strictObject({ name: z.string(), role });
export const whoAmI = z.strictObject({
  actor: z.string(),
  role,
  member: z.string().nullable(),
  via: z.enum(['token', 'session']),
  expiresAt: time.nullable(),
});

export const organisation = z.strictObject({
  org: z.string(),
  allowedBy: z.string(),
  allowedAt: time,
  memberDeploys: z.boolean(),
});
export const allowedOrganisation = z.strictObject({ org: z.string() });

export const auditPage = describing<Omit<AuditPage, 'entries'>>()(
  z.strictObject({
    entries: z.array(
      z.strictObject({
        position: z.number().int(),
        time,
        actor: z.string(),
        type: z.string(),
        streamId: z.string(),
        version: z.number().int(),
        correlationId: z.string(),
        causationId: z.string().nullable(),
        commandId: z.string().nullable(),
        source: z.string(),
        data: z.unknown(),
      }),
    ),
    next: z.number().int().nullable(),
  }),
);

export const chainReport = describing<ChainReport>()(
  z.strictObject({
    ok: z.boolean(),
    checked: z.number().int(),
    head: z.number().int(),
    firstBreak: z.strictObject({ position: z.number().int(), reason: z.string() }).nullable(),
    signedHead: z.strictObject({ position: z.number().int(), signedAt: time }).nullable(),
  }),
);

const totals = {
  requested: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  successRate: z.number().nullable(),
  meanDeployMs: z.number().nullable(),
};
export const stats = describing<Stats>()(
  z.strictObject({
    overall: z.strictObject(totals),
    perDay: z.array(z.strictObject({ ...totals, day: z.string() })),
    perOrg: z.array(z.strictObject({ ...totals, org: z.string(), runningContainers: z.number().int() })),
    traffic: z.array(
      z.strictObject({
        org: z.string(),
        repo: z.string(),
        requests: z.number().int(),
        serverErrors: z.number().int(),
        errorRate: z.number().nullable(),
      }),
    ),
  }),
);

const syncStatus = describing<FirewallSyncStatus>()(
  z.strictObject({
    at: time,
    applied: z.boolean(),
    error: z.string().nullable(),
    dockerUser: z.boolean().nullable(),
  }),
);
export const firewall = z.strictObject({
  desired: firewallState,
  guardians: z.array(
    z.strictObject({ name: z.string(), connected: z.boolean(), lastSync: syncStatus.nullable() }),
  ),
});

const rebuilt = z.strictObject({
  name: z.string(),
  collection: z.string(),
  position: z.number().int(),
  events: z.number().int(),
  durationMs: z.number(),
});
export const projections = z.strictObject({
  projections: z.array(z.string()),
  rebuilding: z.array(
    describing<RebuildProgress>()(
      z.strictObject({
        name: z.string(),
        position: z.number().int(),
        head: z.number().int(),
        startedAt: time,
      }),
    ),
  ),
});
export const rebuiltOne = rebuilt;
export const rebuiltAll = z.strictObject({ rebuilt: z.array(rebuilt) });
