import { main } from '@testausdeploy/service';
import { GuardianModule } from './guardian.module';

main({
  prefix: 'GUARDIAN',
  defaultPort: 7444,
  commonName: 'testausdeploy-guardian',
  module: GuardianModule.forRoot,
});
