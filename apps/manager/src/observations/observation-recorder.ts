import { Injectable } from '@nestjs/common';
import { Observations } from '@testausdeploy/domain';
import { ConcurrencyError } from '@testausdeploy/events';
import { EventRecorder } from '../events/event-recorder';

/** Records what the Manager saw go wrong by itself (see Observations), as the part of it that saw it. */
@Injectable()
export class ObservationRecorder {
  constructor(private readonly recorder: EventRecorder) {}

  /** Loads the subject's stream, lets `observe` record, saves; once more if another writer came in between. */
  async record(subject: () => Observations, observe: (observations: Observations) => void, actor: string) {
    for (let attempt = 0; ; attempt++) {
      const fresh = subject();
      const observations = await this.recorder.load(fresh, fresh.streamId);
      observe(observations);
      try {
        await this.recorder.saveAs(observations.streamId, observations, actor);
        return;
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt > 0) throw error;
      }
    }
  }
}
