import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadOrCreateIdentity, rotateIdentity } from '@testausdeploy/icp';
import { MANAGER_COMMON_NAME } from './nodes/nodes.module';
import { parseEnv, SERVICE_VERSION } from '@testausdeploy/service';
import { enrolCommand } from './cli/enrol';
import { rebuildCommand } from './cli/rebuild';
import { rotateMasterKeyCommand } from './cli/rotate-master-key';
import { loadManagerConfig, managerConfigSchema } from './config/manager-config';
import { ManagerModule } from './manager.module';
import { openApiDocument } from './openapi/openapi.document';

async function main(command: string | undefined): Promise<void> {
  if (command === 'openapi') {
    // The dashboard's build generates its API client from this, before any configuration exists.
    console.log(JSON.stringify(openApiDocument(SERVICE_VERSION), null, 2));
    return;
  }
  if (command === 'fingerprint' || command === 'rotate-key') {
    // Needs only the state dir: it runs before the peers' fingerprints are known.
    const { MANAGER_STATE_DIR } = parseEnv(managerConfigSchema.pick({ MANAGER_STATE_DIR: true }));
    const identity = command === 'fingerprint' ? loadOrCreateIdentity : rotateIdentity;
    console.log((await identity(MANAGER_STATE_DIR, MANAGER_COMMON_NAME)).fingerprint);
    if (command === 'rotate-key') {
      console.error(
        "New key written. Add its fingerprint to every node's trust file (one per line, beside the old one), " +
          'restart the Manager, then remove the old line.',
      );
    }
    return;
  }
  const config = loadManagerConfig();
  if (command === 'rebuild') return rebuildCommand(config, process.argv[3]);
  if (command === 'enrol') return enrolCommand(config, process.argv.slice(3));
  if (command === 'rotate-master-key') return rotateMasterKeyCommand(config);
  const app = await NestFactory.create(ManagerModule.forRoot(config), {
    bufferLogs: true,
    // The webhook's signature is over the exact bytes received.
    rawBody: true,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.listen(config.MANAGER_PORT, config.MANAGER_HOST);
  app.get(Logger).log(`Manager API listening on http://${config.MANAGER_HOST}:${config.MANAGER_PORT}`);
}

main(process.argv[2]).catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
