import { DomainEvent } from '../aggregate-root';
import { eventGuard } from '../event-guard';
import { Sealed } from '../keys/data-key.events';

/** A variable of a project's configuration: for every service, or for the one `service` names. */
export interface VariableKey {
  name: string;
  service: string | null;
}

/**
 * Variables were set, by one request (one, or a whole imported `.env`): each plain (its value in `value`) or
 * secret (only sealed, with the project's data key, in `sealed`: the log never holds it in clear). `version` is
 * the project's configuration version this change makes; deployments will record the version they ran with.
 */
export type ConfigurationChanged = DomainEvent<
  'ConfigurationChanged',
  {
    org: string;
    repo: string;
    version: number;
    set: (VariableKey & { secret: boolean; value: string | null; sealed: Sealed | null })[];
    removed: VariableKey[];
  }
>;

export type ConfigurationEvent = ConfigurationChanged;

export const isConfigurationEvent = eventGuard<ConfigurationEvent>(['ConfigurationChanged']);
