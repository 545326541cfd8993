import { Global, Module } from '@nestjs/common';
import { EventRecorder } from './event-recorder';
import { ReadModels } from './read-models';

@Global()
@Module({ providers: [EventRecorder, ReadModels], exports: [EventRecorder, ReadModels] })
export class EventsModule {}
