import { Injectable } from '@nestjs/common';
import { isUnder } from '@testausdeploy/domain';
import { ReadModels } from '../events/read-models';
import { RoutesView } from './projections/routes-view';
import { ROUTES } from './projections/routes.projection';

/** A domain delegated to a project: the project's key (`org/repo`) and the domain. */
export interface Delegation {
  project: string;
  domain: string;
}

/**
 * The domains admins delegated to projects. A domain is one project's, and so is every name under it: no other
 * project's route gets one, and no other project is delegated a domain above or below it.
 */
@Injectable()
export class DelegatedDomains {
  constructor(private readonly readModels: ReadModels) {}

  /** The domains delegated to project `key` (`org/repo`). */
  async of(key: string): Promise<string[]> {
    await this.readModels.started;
    const view = await this.readModels.collection<RoutesView>(ROUTES).findOne({ _id: key });
    return view?.kind === 'project' ? (view.domains ?? []) : [];
  }

  /** Every delegation but those of project `except`. */
  async others(except: string): Promise<Delegation[]> {
    await this.readModels.started;
    const views = await this.readModels.collection<RoutesView>(ROUTES).find({ kind: 'project' }).toArray();
    return views.flatMap((view) =>
      view.kind === 'project' && view._id !== except
        ? (view.domains ?? []).map((domain) => ({ project: view._id, domain }))
        : [],
    );
  }
}

/** The delegation `host` (a name or a domain) falls under or above, if any. */
export const delegationOf = (host: string, delegations: Delegation[]): Delegation | undefined =>
  delegations.find(({ domain }) => isUnder(host, domain) || isUnder(domain, host));
