/** A member recorded before members had ids: the name was the identity, and stays it for that member. */
export const legacyMemberId = (name: string) => `legacy-${name}`;

/**
 * Schema changes of the member events, applied as they are read (stored events are never rewritten).
 *
 * Version 2: `MemberAdded` carries the member's id. A member added at version 1 gets `legacy-<name>`, the id
 * their containers of that time get too, so what they own stays theirs; a name added again since has a random
 * id and owns none of it.
 */
export const memberUpcasters = [
  {
    type: 'MemberAdded',
    fromVersion: 1,
    upcast: (data: unknown) => {
      const { name } = data as { name: string };
      return { memberId: legacyMemberId(name), ...(data as object) };
    },
  },
];
