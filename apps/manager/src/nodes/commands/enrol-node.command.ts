import { Command } from '@nestjs/cqrs';
import { NodeEnrolmentProps } from '@testausdeploy/domain';
import { NodeStatus } from '../node-status';

/** An admin adds a Worker or Guardian to the registry; the Manager then dials it, pinning its key. */
export class EnrolNodeCommand extends Command<NodeStatus> {
  constructor(
    readonly enrolment: Omit<NodeEnrolmentProps, 'guardian'> & { guardian?: string },
    readonly actor: string,
  ) {
    super();
  }
}
