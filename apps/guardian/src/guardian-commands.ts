import { Injectable } from '@nestjs/common';
import { IcpHandlers } from '@testausdeploy/icp';
import { NodeCommands, SERVICE_VERSION } from '@testausdeploy/service';

/** The ICP commands a Guardian serves (the firewall commands arrive with the Guardian issue). */
@Injectable()
export class GuardianCommands extends NodeCommands {
  handlers(): IcpHandlers {
    return { health: async () => ({ service: 'guardian', version: SERVICE_VERSION }) };
  }
}
