import { Injectable } from '@nestjs/common';
import { FirewallReport, IcpData } from '@testausdeploy/icp';
import { Firewall } from './firewall';

type HostPort = IcpData<'closePort'>;

const otherThan =
  ({ protocol, port }: HostPort) =>
  (rule: { protocol: string; port?: number; hostPort?: number }) =>
    rule.protocol !== protocol || (rule.hostPort ?? rule.port) !== port;

/** The Guardian's ICP commands, each a change of the desired state (see Firewall). */
@Injectable()
export class FirewallHandler {
  constructor(private readonly firewall: Firewall) {}

  openPort(rule: IcpData<'openPort'>): Promise<FirewallReport> {
    return this.firewall.change((state) => ({ ...state, open: [...state.open, rule] }));
  }

  closePort(port: HostPort): Promise<FirewallReport> {
    return this.firewall.change((state) => ({ ...state, open: state.open.filter(otherThan(port)) }));
  }

  forwardPort(rule: IcpData<'forwardPort'>): Promise<FirewallReport> {
    return this.firewall.change((state) => ({ ...state, forwards: [...state.forwards, rule] }));
  }

  removeForward(port: HostPort): Promise<FirewallReport> {
    return this.firewall.change((state) => ({ ...state, forwards: state.forwards.filter(otherThan(port)) }));
  }

  listRules(): Promise<FirewallReport> {
    return this.firewall.list();
  }

  async applyFirewall({ acknowledgeDrift, ...state }: IcpData<'applyFirewall'>): Promise<FirewallReport> {
    if (acknowledgeDrift) this.firewall.acknowledge(acknowledgeDrift.boot, acknowledgeDrift.sequence);
    return this.firewall.replace(state);
  }
}
