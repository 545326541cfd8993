import 'reflect-metadata';
import { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadOrCreateIdentity } from '@testausdeploy/icp';
import { loadNodeServiceConfig, NodeServiceConfig } from './node-service';

export interface NodeMain {
  prefix: 'WORKER' | 'GUARDIAN';
  defaultPort: number;
  commonName: string;
  module(node: NodeServiceConfig): DynamicModule;
}

/**
 * Entry point shared by the Worker and the Guardian: `main.js fingerprint` creates the identity if needed and
 * prints its fingerprint for enrolment; `main.js` runs the service until SIGTERM.
 */
export async function runNodeService(spec: NodeMain, command: string | undefined): Promise<void> {
  const node = loadNodeServiceConfig(spec.prefix, spec.defaultPort);
  if (command === 'fingerprint') {
    console.log((await loadOrCreateIdentity(node.stateDir, spec.commonName)).fingerprint);
    return;
  }
  const app = await NestFactory.createApplicationContext(spec.module(node), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.init();
}

export function main(spec: NodeMain): void {
  runNodeService(spec, process.argv[2]).catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
}
