import { Injectable } from '@nestjs/common';
import { FirewallState } from '@testausdeploy/icp';
import { ReadModels } from '../events/read-models';
import { GuardianScope } from '../placement/guardian-scope';
import { PortRulesView } from './projections/port-rules-view';
import { PORT_RULES } from './projections/port-rules.projection';

/**
 * The firewall state the Manager wants its Guardians to hold: every owner's rules from the read model, or, for
 * one Guardian, those of the owners placed on the Workers it guards.
 */
@Injectable()
export class DesiredFirewall {
  constructor(
    private readonly readModels: ReadModels,
    private readonly scope: GuardianScope,
  ) {}

  async state(guardian?: string): Promise<FirewallState> {
    await this.readModels.started;
    const views = await this.readModels
      .collection<PortRulesView>(PORT_RULES)
      .find({ kind: 'rules' })
      .sort({ _id: 1 })
      .toArray();
    const holds = guardian === undefined ? () => true : await this.scope.of(guardian);
    const rules = views.flatMap((view) => (view.kind === 'rules' && holds(view._id) ? [view] : []));
    return { open: rules.flatMap((view) => view.open), forwards: rules.flatMap((view) => view.forwards) };
  }
}
