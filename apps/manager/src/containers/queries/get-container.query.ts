import { Caller } from '../../auth/caller';

export class GetContainerQuery {
  constructor(
    readonly name: string,
    readonly caller: Caller,
  ) {}
}
