import { Injectable } from '@nestjs/common';
import { NodeEvent, RegisteredNode } from '@testausdeploy/domain';
import { AppendResult, EventStore } from '@testausdeploy/events';
import { Cause, EventRecorder } from '../events/event-recorder';

/** Loads a RegisteredNode from its stream (empty for a name never enrolled) and saves what it decided. */
@Injectable()
export class NodeRepository {
  constructor(
    private readonly store: EventStore,
    private readonly recorder: EventRecorder,
  ) {}

  async load(name: string): Promise<RegisteredNode> {
    const node = new RegisteredNode(name);
    node.loadFromHistory(
      (await this.store.readStream(RegisteredNode.streamId(name))) as unknown as NodeEvent[],
    );
    return node;
  }

  save(node: RegisteredNode, cause: Cause): Promise<AppendResult> {
    return this.recorder.save(RegisteredNode.streamId(node.name), node, cause);
  }
}
