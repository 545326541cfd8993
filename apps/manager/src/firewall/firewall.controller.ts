import { Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { FirewallSync } from './firewall-sync';
import { GetFirewallQuery } from './queries/get-firewall.query';

/** The host firewall as the Manager wants it, and each Guardian's last sync. */
@Controller('firewall')
export class FirewallController {
  constructor(
    private readonly queries: QueryBus,
    private readonly sync: FirewallSync,
  ) {}

  @Get()
  get() {
    return this.queries.execute(new GetFirewallQuery());
  }

  /** Sends the desired state to every connected Guardian now, and answers how that went. */
  @Post('sync')
  @HttpCode(HttpStatus.OK)
  async syncNow() {
    await this.sync.syncAll();
    return this.queries.execute(new GetFirewallQuery());
  }
}
