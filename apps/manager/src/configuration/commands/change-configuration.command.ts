import { VariableKey } from '@testausdeploy/domain';

/** A variable to set, its value in clear (sealed by the handler if secret). */
export interface VariableToSet extends VariableKey {
  value: string;
  secret: boolean;
}

/**
 * Sets and removes variables of a project's configuration, as one change, as `actor`; with `redeploy`, then
 * deploys the project's newest deployment's source again, with this version.
 */
export class ChangeConfigurationCommand {
  constructor(
    readonly org: string,
    readonly repo: string,
    readonly set: VariableToSet[],
    readonly removed: VariableKey[],
    readonly actor: string,
    readonly redeploy = false,
  ) {}
}
