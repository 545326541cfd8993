import { Injectable } from '@nestjs/common';
import { FirewallState } from '@testausdeploy/icp';
import { ReadModels } from '../events/read-models';
import { PortRulesView } from './projections/port-rules-view';
import { PORT_RULES } from './projections/port-rules.projection';

/** The firewall state the Manager wants its Guardians to hold: every owner's rules from the read model. */
@Injectable()
export class DesiredFirewall {
  constructor(private readonly readModels: ReadModels) {}

  async state(): Promise<FirewallState> {
    await this.readModels.started;
    const views = await this.readModels
      .collection<PortRulesView>(PORT_RULES)
      .find({ kind: 'rules' })
      .sort({ _id: 1 })
      .toArray();
    const rules = views.flatMap((view) => (view.kind === 'rules' ? [view] : []));
    return { open: rules.flatMap((view) => view.open), forwards: rules.flatMap((view) => view.forwards) };
  }
}
