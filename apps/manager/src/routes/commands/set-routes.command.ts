import { ProjectRoute } from '@testausdeploy/domain';

/** Replaces a project's routes, as `actor`; `byAdmin` may give host names of their own (clear: none at all). */
export class SetRoutesCommand {
  constructor(
    readonly org: string,
    readonly repo: string,
    readonly routes: ProjectRoute[],
    readonly actor: string,
    readonly byAdmin: boolean,
  ) {}
}
