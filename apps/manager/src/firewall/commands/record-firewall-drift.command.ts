import { DriftReport } from '@testausdeploy/icp';

/** A Guardian reported that its rules had been changed behind its back (and that it restored them). */
export class RecordFirewallDriftCommand {
  constructor(
    readonly guardian: string,
    readonly report: DriftReport,
  ) {}
}
