import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NodeConnections } from '../../nodes/node-connections';
import { DesiredFirewall } from '../desired-firewall';
import { FirewallSync } from '../firewall-sync';
import { GetFirewallQuery } from './get-firewall.query';

@QueryHandler(GetFirewallQuery)
export class GetFirewallHandler implements IQueryHandler<GetFirewallQuery> {
  constructor(
    private readonly desired: DesiredFirewall,
    private readonly sync: FirewallSync,
    private readonly nodes: NodeConnections,
  ) {}

  async execute() {
    const guardians = this.nodes.ofKind('guardian').map(({ name, client }) => ({
      name,
      connected: client.connected,
      lastSync: this.sync.status(name),
    }));
    return { desired: await this.desired.state(), guardians };
  }
}
