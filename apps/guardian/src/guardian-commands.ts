import { Injectable } from '@nestjs/common';
import { IcpHandlers } from '@testausdeploy/icp';
import { NodeCommands, SERVICE_VERSION } from '@testausdeploy/service';
import { FirewallHandler } from './firewall/firewall.handler';
import { ReverseProxy } from './proxy/reverse-proxy';

/** The ICP commands a Guardian serves. */
@Injectable()
export class GuardianCommands extends NodeCommands {
  constructor(
    private readonly firewall: FirewallHandler,
    private readonly proxy: ReverseProxy,
  ) {
    super();
  }

  handlers(): IcpHandlers {
    return {
      health: async () => ({ service: 'guardian', version: SERVICE_VERSION }),
      openPort: (data) => this.firewall.openPort(data),
      closePort: (data) => this.firewall.closePort(data),
      forwardPort: (data) => this.firewall.forwardPort(data),
      removeForward: (data) => this.firewall.removeForward(data),
      listRules: () => this.firewall.listRules(),
      applyFirewall: (data) => this.firewall.applyFirewall(data),
      listRoutes: () => this.proxy.reconcile(),
      applyRoutes: ({ acknowledgeDrift, ...state }) => {
        if (acknowledgeDrift) this.proxy.acknowledge(acknowledgeDrift.boot, acknowledgeDrift.sequence);
        return this.proxy.replace(state);
      },
    };
  }
}
