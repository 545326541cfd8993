import { DriftReport } from '@testausdeploy/icp';

/** A Guardian reported that its rules (or its proxy's routes) had been changed behind its back, and restored. */
export class RecordFirewallDriftCommand {
  constructor(
    readonly guardian: string,
    readonly report: DriftReport,
    readonly of: 'firewall' | 'proxy' = 'firewall',
  ) {}
}
