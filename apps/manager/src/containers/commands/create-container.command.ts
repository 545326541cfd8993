import { Caller } from '../../auth/caller';
import { CreateContainerBody } from '../dto/container.dto';

export class CreateContainerCommand {
  constructor(
    readonly body: CreateContainerBody,
    readonly caller: Caller,
  ) {}
}
