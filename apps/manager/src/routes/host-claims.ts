import { ProjectRoutesView } from './projections/routes-view';

/** The host names one project's routes get, route by route, and those it asked for that another project holds. */
export interface ClaimedHosts {
  perRoute: string[][];
  heldElsewhere: { host: string; heldBy: string }[];
}

/**
 * Which host names each project's routes answer at: each name once, to the project that set routes first. A name
 * given to a route is checked when it is given (409), so what this settles is a default name another project had
 * first (two repositories of one name in two organisations), or one that APPS_DOMAIN or APPS_HOST_PATTERN changed
 * into a name already held: the first keeps it, the later one answers without it, and says so.
 */
export function claimHosts(
  projects: ProjectRoutesView[],
  wanted: (project: ProjectRoutesView) => string[][],
): Map<string, ClaimedHosts> {
  const holder = new Map<string, string>();
  const claims = new Map<string, ClaimedHosts>();
  const byFirstClaim = [...projects].sort(
    (a, b) => (a.claimedAt ?? Infinity) - (b.claimedAt ?? Infinity) || a._id.localeCompare(b._id),
  );
  for (const project of byFirstClaim) {
    const heldElsewhere: ClaimedHosts['heldElsewhere'] = [];
    const perRoute = wanted(project).map((hosts) =>
      hosts.filter((host) => {
        const heldBy = holder.get(host);
        if (heldBy === undefined) {
          holder.set(host, project._id);
          return true;
        }
        if (heldBy !== project._id) heldElsewhere.push({ host, heldBy });
        return false;
      }),
    );
    claims.set(project._id, { perRoute, heldElsewhere });
  }
  return claims;
}
