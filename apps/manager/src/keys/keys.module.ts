import { Global, Module } from '@nestjs/common';
import { ManagerConfig } from '../config/manager-config';
import { DataKeys } from './data-keys';
import { MasterKey } from './master-key';

/** The master key (from its file, read at start: a Manager without it does not start) and the data keys. */
@Global()
@Module({
  providers: [
    {
      provide: MasterKey,
      inject: [ManagerConfig],
      useFactory: (config: ManagerConfig) => MasterKey.load(config.MASTER_KEY_FILE),
    },
    DataKeys,
  ],
  exports: [DataKeys],
})
export class KeysModule {}
