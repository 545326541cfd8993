import { ProjectRoute } from '@testausdeploy/domain';
import { Upstream } from '@testausdeploy/icp';

/** Where a routed service answers on the apps network, as the Worker reported it for the running version. */
export interface ServiceUpstream extends Upstream {
  service: string;
}

/**
 * The routes read model: per project (`_id` = `org/repo`) its routes, where the version that runs answers
 * (`upstreams`), and whether it runs (`serving`: stopped or removed, its host names are served no more);
 * `attempt` documents remember which project a deployment under way belongs to, until it ends.
 */
export type RoutesView =
  | {
      _id: string;
      kind: 'project';
      org: string;
      repo: string;
      routes: ProjectRoute[];
      /** The domains an admin delegated to it: its maintainers give host names under them. */
      domains: string[];
      upstreams: ServiceUpstream[];
      serving: boolean;
      /** Where it set routes after having none: who set routes first holds a host name both would have. */
      claimedAt: number | null;
    }
  | { _id: string; kind: 'attempt'; org: string; repo: string };

export type ProjectRoutesView = Extract<RoutesView, { kind: 'project' }>;
