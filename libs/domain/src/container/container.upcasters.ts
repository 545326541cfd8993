import { legacyMemberId } from '../member/member.upcasters';

/**
 * Schema changes of the container events, applied as they are read (stored events are never rewritten).
 *
 * Version 2 of `ContainerRequested`: the owner's member id and the incarnation's id. One recorded before is
 * owned by `legacy-<owner>` (see the member upcasters) and is incarnation `legacy`; ownership is always checked
 * by the member id as well, so two old incarnations of a name under different owners stay apart.
 *
 * Version 2 of `BackupExported` and `BackupDeleted`: the backup's id, also its file's name on the Worker. A
 * backup of version 1 was stored under its name, which was unique only in its container's stream: its id is
 * `legacy.<container>.<backup>` (names hold no dots, so no two are alike), and `key` names its file.
 */
export const containerUpcasters = [
  {
    type: 'ContainerRequested',
    fromVersion: 1,
    upcast: (data: unknown) => {
      const { owner } = data as { owner: string };
      return { ownerId: legacyMemberId(owner), incarnation: 'legacy', ...(data as object) };
    },
  },
  ...['BackupExported', 'BackupDeleted'].map((type) => ({
    type,
    fromVersion: 1,
    upcast: (data: unknown) => {
      const { name, backup } = data as { name: string; backup: string };
      return { id: `legacy.${name}.${backup}`, key: backup, ...(data as object) };
    },
  })),
];
