import { Injectable } from '@nestjs/common';
import { AllowList } from '@testausdeploy/domain';
import { EventRecorder } from '../events/event-recorder';

/** Loads the allow-list from its stream and saves what it decided, in the name of `actor`. */
@Injectable()
export class AllowListRepository {
  constructor(private readonly recorder: EventRecorder) {}

  load(): Promise<AllowList> {
    return this.recorder.load(new AllowList(), AllowList.streamId);
  }

  async save(list: AllowList, actor: string): Promise<void> {
    await this.recorder.saveAs(AllowList.streamId, list, actor);
  }
}
