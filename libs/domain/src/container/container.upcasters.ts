import { legacyMemberId } from '../member/member.upcasters';

/**
 * Schema changes of the container events, applied as they are read (stored events are never rewritten).
 *
 * Version 2 of `ContainerRequested`: the owner's member id and the incarnation's id. One recorded before is
 * owned by `legacy-<owner>` (see the member upcasters) and is incarnation `legacy`; ownership is always checked
 * by the member id as well, so two old incarnations of a name under different owners stay apart.
 *
 * Version 2 of `BackupExported` and `BackupDeleted`: the backup's id, its file's name on the Worker. A backup of
 * version 1 was stored under its name, which is therefore its id.
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
      const { backup } = data as { backup: string };
      return { id: backup, ...(data as object) };
    },
  })),
];
