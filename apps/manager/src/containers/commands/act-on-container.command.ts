import { Caller } from '../../auth/caller';

export class ActOnContainerCommand {
  constructor(
    readonly name: string,
    readonly action: 'start' | 'stop' | 'restart',
    readonly caller: Caller,
  ) {}
}
