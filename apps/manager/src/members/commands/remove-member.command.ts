export class RemoveMemberCommand {
  constructor(
    readonly name: string,
    readonly actor: string,
  ) {}
}
