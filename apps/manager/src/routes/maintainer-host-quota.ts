import { Injectable } from '@nestjs/common';
import { Conflict, isRoutesEvent, ProjectRoute, ProjectRoutes } from '@testausdeploy/domain';
import { EventStore } from '@testausdeploy/events';

/** A project's maintainers add at most this many new host names in a week... */
export const NEW_HOSTS_PER_WEEK = 20;
const WEEK_MS = 7 * 24 * 60 * 60_000;

const hostsOf = (routes: ProjectRoute[]) => new Set(routes.flatMap(({ hosts }) => hosts));

/**
 * ...because every new host name is a certificate the ACME CA counts (Let's Encrypt gives a registered domain 50 a
 * week): a maintainer who kept adding names under a delegated domain would leave every other project under that
 * domain without certificates. Counted from the project's routes over the last week, whoever added them.
 */
@Injectable()
export class MaintainerHostQuota {
  constructor(private readonly store: EventStore) {}

  async check(org: string, repo: string, before: ProjectRoute[], next: ProjectRoute[], now = new Date()) {
    const had = hostsOf(before);
    const adding = [...hostsOf(next)].filter((host) => !had.has(host));
    if (adding.length === 0) return;
    const since = now.getTime() - WEEK_MS;
    const added = new Set<string>();
    let known = new Set<string>();
    for (const event of await this.store.readStream(ProjectRoutes.streamId(org, repo))) {
      if (!isRoutesEvent(event) || event.type !== 'RoutesChanged') continue;
      const hosts = hostsOf(event.data.routes);
      if (new Date(event.metadata.time).getTime() >= since)
        for (const host of hosts) if (!known.has(host)) added.add(host);
      known = hosts;
    }
    const total = new Set([...added, ...adding]).size;
    if (total > NEW_HOSTS_PER_WEEK) {
      throw new Conflict(
        `a project's maintainers add at most ${NEW_HOSTS_PER_WEEK} new host names a week (each is a certificate ` +
          `the CA counts), and ${added.size} came in the last 7 days: ask an admin`,
      );
    }
  }
}
