import { main } from '@testausdeploy/service';
import { WorkerModule } from './worker.module';

main({
  prefix: 'WORKER',
  defaultPort: 7443,
  commonName: 'testausdeploy-worker',
  module: WorkerModule.forRoot,
});
