import 'reflect-metadata';
import { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadOrCreateIdentity, rotateIdentity } from '@testausdeploy/icp';
import { loadNodeServiceConfig, NodeServiceConfig } from './node-service';

export interface NodeMain {
  prefix: 'WORKER' | 'GUARDIAN';
  defaultPort: number;
  commonName: string;
  module(node: NodeServiceConfig): DynamicModule;
}

/**
 * Entry point shared by the Worker and the Guardian: `main.js fingerprint` creates the identity if needed and
 * prints its fingerprint for enrolment; `main.js rotate-key` replaces the key and prints the new fingerprint;
 * `main.js` runs the service until SIGTERM (SIGHUP reloads the key).
 */
export async function runNodeService(spec: NodeMain, command: string | undefined): Promise<void> {
  const node = loadNodeServiceConfig(spec.prefix, spec.defaultPort);
  if (command === 'fingerprint') {
    console.log((await loadOrCreateIdentity(node.stateDir, spec.commonName)).fingerprint);
    return;
  }
  if (command === 'rotate-key') {
    const { fingerprint } = await rotateIdentity(node.stateDir, spec.commonName);
    console.log(fingerprint);
    console.error(
      'New key written. Pin it on the Manager (PUT /nodes/<name>/fingerprint, or main.js enrol again), then ' +
        'reload this service (systemctl reload, or SIGHUP) so that it presents the new key.',
    );
    return;
  }
  const app = await NestFactory.createApplicationContext(spec.module(node), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  // Not SIGHUP, which Nest would also take as "shut down": here it means "reload the key" (see IcpHost).
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.init();
}

export function main(spec: NodeMain): void {
  runNodeService(spec, process.argv[2]).catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
}
