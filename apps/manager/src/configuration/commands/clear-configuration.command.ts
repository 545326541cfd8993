/** Every variable of the project is removed (the project is), as one change. */
export class ClearConfigurationCommand {
  constructor(
    readonly org: string,
    readonly repo: string,
    readonly actor: string,
  ) {}
}
