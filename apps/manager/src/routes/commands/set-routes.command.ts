import { ProjectRoute } from '@testausdeploy/domain';

/** Replaces a project's routes, as `actor`; only `byAdmin` may change which route has which host names of its own. */
export class SetRoutesCommand {
  constructor(
    readonly org: string,
    readonly repo: string,
    readonly routes: ProjectRoute[],
    readonly actor: string,
    readonly byAdmin: boolean,
  ) {}
}
