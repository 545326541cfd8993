import { Module } from '@nestjs/common';
import { RecordFirewallDriftHandler } from './commands/record-firewall-drift.handler';
import { DesiredFirewall } from './desired-firewall';
import { FirewallController } from './firewall.controller';
import { FirewallListener } from './firewall.listener';
import { FirewallSync } from './firewall-sync';
import { PortRulesProjection } from './projections/port-rules.projection';
import { GetFirewallHandler } from './queries/get-firewall.handler';

/** The desired state of the Guardians' firewalls, kept from events and sent to them. */
@Module({
  controllers: [FirewallController],
  providers: [
    PortRulesProjection,
    DesiredFirewall,
    FirewallSync,
    FirewallListener,
    RecordFirewallDriftHandler,
    GetFirewallHandler,
  ],
  exports: [FirewallSync],
})
export class FirewallModule {}
