import { OpenPort, PortForward } from '@testausdeploy/icp';

/**
 * The firewall read model: which owner holds which host ports. `rules` documents (`_id` = the owner,
 * `project:org/repo` for a deployed project) make up the desired state sent to the Guardians; `attempt`
 * documents remember which project a deployment attempt under way belongs to, until it ends.
 */
export type PortRulesView =
  | {
      _id: string;
      kind: 'rules';
      open: OpenPort[];
      forwards: PortForward[];
      position: number;
    }
  | { _id: string; kind: 'attempt'; owner: string; position: number };
