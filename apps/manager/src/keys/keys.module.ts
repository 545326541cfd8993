import { Global, Module } from '@nestjs/common';
import { ManagerConfig } from '../config/manager-config';
import { DataKeys } from './data-keys';
import { KeyVault } from './key-vault';
import { MasterKeys } from './master-key';
import { MasterKeyCheck } from './master-key-check';

/**
 * The master key (from its file, read at start: a Manager without it does not start), the one it replaces during
 * a rotation, and the data keys, kept wrapped in the key vault.
 */
@Global()
@Module({
  providers: [
    {
      provide: MasterKeys,
      inject: [ManagerConfig],
      useFactory: (config: ManagerConfig) => MasterKeys.load(config),
    },
    KeyVault,
    MasterKeyCheck,
    DataKeys,
  ],
  exports: [DataKeys],
})
export class KeysModule {}
