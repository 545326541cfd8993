/** Removes every route of a project (it is removed), as `actor`. */
export class ClearRoutesCommand {
  constructor(
    readonly org: string,
    readonly repo: string,
    readonly actor: string,
  ) {}
}
