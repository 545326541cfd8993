import { Module } from '@nestjs/common';
import { ChangeConfigurationHandler } from './commands/change-configuration.handler';
import { ClearConfigurationHandler } from './commands/clear-configuration.handler';
import { ConfigurationController } from './configuration.controller';
import { ConfigurationDirectory } from './configuration-directory';
import { ConfigurationValues } from './configuration-values';

/** Projects' configurations: variables set by their maintainers, secrets sealed before the log sees them. */
@Module({
  controllers: [ConfigurationController],
  providers: [
    ConfigurationDirectory,
    ConfigurationValues,
    ChangeConfigurationHandler,
    ClearConfigurationHandler,
  ],
  exports: [ConfigurationValues],
})
export class ConfigurationModule {}
