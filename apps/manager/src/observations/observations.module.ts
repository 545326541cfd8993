import { Global, Module } from '@nestjs/common';
import { ObservationRecorder } from './observation-recorder';

@Global()
@Module({ providers: [ObservationRecorder], exports: [ObservationRecorder] })
export class ObservationsModule {}
