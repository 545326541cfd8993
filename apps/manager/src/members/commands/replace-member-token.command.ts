export class ReplaceMemberTokenCommand {
  constructor(
    readonly name: string,
    readonly actor: string,
  ) {}
}
