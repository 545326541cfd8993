import { z } from 'zod';
import { ContainerStatus } from '@testausdeploy/domain';
import { containerInfo, containerLimits } from '@testausdeploy/icp';
import { ContainerImages } from '../../containers/container-images.controller';
import { ListedBackup } from '../../containers/container-directory';
import { Progress } from '../../containers/container-progress';
import { MemberUsage } from '../../containers/member-quotas';
import { BackupView, ContainerView } from '../../containers/projections/container-view';
import { describing, time } from './described';

const STATUSES: ContainerStatus[] = ['creating', 'running', 'stopped', 'failed', 'deleted'];

const backupFields = {
  id: z.string(),
  backup: z.string(),
  incarnation: z.string(),
  owner: z.string(),
  ownerId: z.string(),
  file: z.string(),
  bytes: z.number().int(),
  createdAt: time,
  node: z.string().nullable(),
};
export const backupView = describing<BackupView>()(z.strictObject(backupFields));
export const listedBackups = z.array(
  describing<ListedBackup>()(
    z.strictObject({ ...backupFields, container: z.string(), containerDeleted: z.boolean() }),
  ),
);
export const snapshotViews = z.array(z.strictObject({ snapshot: z.string(), createdAt: time }));

const rule = z.strictObject({ everyHours: z.number().int(), keep: z.number().int() }).nullable();

/** A member's container as recorded; `GET /containers/:name` adds `live`, what LXD says now (or null). */
export const containerView = describing<Omit<ContainerView, '_id'>>()(
  z.strictObject({
    name: z.string(),
    owner: z.string(),
    ownerId: z.string(),
    incarnation: z.string(),
    image: z.string(),
    limits: containerLimits,
    user: z.string(),
    sshKeys: z.array(z.string()),
    nesting: z.boolean(),
    status: z.enum(STATUSES),
    reason: z.string().nullable(),
    ipv4: z.string().nullable(),
    sshPort: z.number().int(),
    snapshots: snapshotViews,
    backups: z.array(backupView),
    schedule: z.strictObject({ snapshots: rule, backups: rule }),
    restoredFrom: z
      .strictObject({ name: z.string(), backup: z.string(), id: z.string().optional() })
      .nullable(),
    node: z.string().nullable(),
    placement: z
      .strictObject({ rule: z.enum(['named', 'labels', 'capacity', 'only']), reason: z.string() })
      .nullable(),
    /** A move under way: it takes no other change until it is done or undone. */
    moving: z.strictObject({ from: z.string(), to: z.string() }).nullable(),
    /** A moved container's old node, where its stopped copy is still to be removed. */
    leftOn: z.string().nullable(),
    requestedAt: time,
    updatedAt: time,
    position: z.number().int(),
  }),
);
export const liveContainerView = containerView.extend({
  live: containerInfo.nullable(),
  unreachableSince: time.nullable(),
});

const allowance = { used: z.number().int(), max: z.number().int() };
export const memberUsage = describing<MemberUsage>()(
  z.strictObject({
    limits: z.strictObject({
      cpus: z.number().int(),
      memoryMiB: z.number().int(),
      diskGiB: z.number().int(),
    }),
    containers: z.strictObject(allowance),
    snapshots: z.strictObject({ ...allowance, perContainer: z.number().int() }),
    backups: z.strictObject({
      ...allowance,
      perContainer: z.number().int(),
      mib: z.strictObject(allowance),
    }),
  }),
);

export const containerProgress = describing<Progress>()(
  z.strictObject({
    operation: z.string(),
    lines: z.array(z.string()),
    running: z.boolean(),
    startedAt: time,
  }),
);

export const containerImages = describing<ContainerImages>()(
  z.strictObject({
    default: z.string(),
    images: z.array(z.strictObject({ alias: z.string(), available: z.boolean() })),
  }),
);
