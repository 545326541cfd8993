import { Injectable } from '@nestjs/common';
import { RegisteredNode } from '@testausdeploy/domain';
import { AppendResult } from '@testausdeploy/events';
import { Cause, EventRecorder } from '../events/event-recorder';

/** Loads a RegisteredNode from its stream (empty for a name never enrolled) and saves what it decided. */
@Injectable()
export class NodeRepository {
  constructor(private readonly recorder: EventRecorder) {}

  load(name: string): Promise<RegisteredNode> {
    return this.recorder.load(new RegisteredNode(name), RegisteredNode.streamId(name));
  }

  save(node: RegisteredNode, cause: Cause): Promise<AppendResult> {
    return this.recorder.save(RegisteredNode.streamId(node.name), node, cause);
  }
}
