import { Command } from '@nestjs/cqrs';
import { NodeEnrolmentProps } from '@testausdeploy/domain';
import { NodeView } from '../projections/node-view';

/** An admin adds a Worker or Guardian to the registry; the Manager then dials it, pinning its key. */
export class EnrolNodeCommand extends Command<NodeView> {
  constructor(
    readonly enrolment: Omit<NodeEnrolmentProps, 'guardian'> & { guardian?: string },
    readonly actor: string,
  ) {
    super();
  }
}
