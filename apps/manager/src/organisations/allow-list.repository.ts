import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AllowList, AllowListEvent } from '@testausdeploy/domain';
import { EventStore } from '@testausdeploy/events';
import { EventRecorder } from '../events/event-recorder';

/** Loads the allow-list from its stream and saves what it decided, in the name of `actor`. */
@Injectable()
export class AllowListRepository {
  constructor(
    private readonly store: EventStore,
    private readonly recorder: EventRecorder,
  ) {}

  async load(): Promise<AllowList> {
    const list = new AllowList();
    list.loadFromHistory((await this.store.readStream(AllowList.streamId)) as unknown as AllowListEvent[]);
    return list;
  }

  async save(list: AllowList, actor: string): Promise<void> {
    await this.recorder.save(AllowList.streamId, list, {
      actor,
      correlationId: randomUUID(),
      causationId: null,
    });
  }
}
