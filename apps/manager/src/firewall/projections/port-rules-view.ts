import { OpenPort, PortForward } from '@testausdeploy/icp';

/**
 * The firewall read model: which owner holds which host ports. `rules` documents (`_id` = the owner,
 * `project:org/repo` for a deployed project, `container:name` for a member's container) make up the desired
 * state sent to the Guardians; `attempt` documents remember which project a deployment attempt under way
 * belongs to, or which SSH port a container being created has, until it ends.
 */
export type PortRulesView =
  | {
      _id: string;
      kind: 'rules';
      open: OpenPort[];
      forwards: PortForward[];
      position: number;
    }
  | { _id: string; kind: 'attempt'; owner: string; sshPort?: number; position: number };
