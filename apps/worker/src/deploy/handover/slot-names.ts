import { isMapping } from '../policy/shapes';

/**
 * The checked project as compose project `slot` runs it: its named volumes keep the project's own names
 * (`<project>_<key>`, whichever slot runs it: the data is the project's), its networks take the slot's
 * (`<slot>_<key>`: two versions running at once never share one, so neither reaches the other's services by name).
 */
export function inSlot(
  checked: Record<string, unknown>,
  project: string,
  slot: string,
): Record<string, unknown> {
  return {
    ...checked,
    // Compose v2 renders the name; `-p` would win over it anyway.
    ...(checked.name !== undefined && { name: slot }),
    ...(isMapping(checked.volumes) && { volumes: named(checked.volumes, project) }),
    ...(isMapping(checked.networks) && { networks: named(checked.networks, slot) }),
  };
}

function named(entries: Record<string, unknown>, prefix: string): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(entries).map(([key, entry]) => [
      key,
      { ...(isMapping(entry) ? entry : {}), name: `${prefix}_${key}` },
    ]),
  );
}
