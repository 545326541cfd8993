import { z } from 'zod';
import { containerLimits, containerName, sshKeys, unixUser } from '@testausdeploy/icp';
import { asOfParameter } from '../../http/as-of';
import { memberName } from '../../members/dto/member.dto';
import { placementFields } from '../../placement/dto/placement.dto';

/** Body of `POST /containers`; the Worker checks the keys and the image, the Manager the quotas and ownership. */
export const createContainerBody = z
  .object({
    name: containerName,
    image: z.string().min(1).max(200).optional(),
    limits: containerLimits,
    sshKeys,
    /** The unix user inside: the owner's member name; only an admin may choose another. */
    user: unixUser.optional(),
    /** Whose container it is: admins name the member, a member's own is theirs. */
    owner: memberName.optional(),
    /** Containers inside the container: only an admin may allow it. */
    nesting: z.boolean().default(false),
    ...placementFields,
  })
  .strict();
export type CreateContainerBody = z.infer<typeof createContainerBody>;

export const containerLimitsBody = containerLimits;
export const sshKeysBody = z.object({ sshKeys }).strict();
export const deleteContainerBody = z.object({ confirm: z.string().max(64).optional() }).strict();

export const snapshotBody = z.object({ snapshot: containerName }).strict();
export const backupBody = z.object({ backup: containerName }).strict();
export const restoreBackupBody = z.object({ newName: containerName }).strict();

const rule = z
  .object({
    everyHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 365),
    keep: z.number().int().min(1).max(100),
  })
  .strict();
/** Body of `PUT /containers/:name/schedule`; null or absent turns that schedule off. */
export const scheduleBody = z
  .object({ snapshots: rule.nullable().default(null), backups: rule.nullable().default(null) })
  .strict();

/** Query of `GET /containers`: an admin may name the owner; `asOf` shows them as they were then. */
export const listContainersQuery = z
  .object({ owner: memberName.optional(), asOf: asOfParameter.optional() })
  .strict();
export type ListContainersParams = z.infer<typeof listContainersQuery>;
