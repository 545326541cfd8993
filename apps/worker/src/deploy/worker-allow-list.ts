import { Injectable } from '@nestjs/common';
import { IcpError, IcpErrorCode } from '@testausdeploy/icp';
import { WorkerConfig } from '../config/worker-config';

/**
 * The organisations this host runs code of (`ALLOWED_ORGS`). The Manager keeps its own list; the Worker runs
 * the code, so it checks every command against this one instead of taking the Manager's word for it.
 */
@Injectable()
export class WorkerAllowList {
  private readonly orgs: Set<string>;

  constructor(config: WorkerConfig) {
    this.orgs = new Set(config.ALLOWED_ORGS.map((org) => org.toLowerCase()));
  }

  check(org: string): void {
    if (!this.orgs.has(org.toLowerCase())) {
      throw new IcpError(IcpErrorCode.Forbidden, `organisation "${org}" is not on this Worker's allow-list`);
    }
  }
}
