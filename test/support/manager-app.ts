import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Connection } from 'mongoose';
import request from 'supertest';
import { loadManagerConfig } from '../../apps/manager/src/config/manager-config';
import { DATABASE } from '../../apps/manager/src/database/database.module';
import { ManagerModule } from '../../apps/manager/src/manager.module';
import { testDatabaseUrl } from './database';
import { testMasterKeyFile } from './master-key';

export const TEST_TOKEN = 'test-admin-token-0123456789abcdef0123';

/**
 * The Manager as a Nest app in this process, on its own fresh database, with no node enrolled (so every
 * deployment fails with a reason, unless a test enrols one). Drive it with `http()`.
 */
export class ManagerApp {
  private constructor(
    readonly app: INestApplication,
    readonly stateDir: string,
  ) {}

  static async start(purpose: string, env: Record<string, string> = {}): Promise<ManagerApp> {
    const stateDir = await mkdtemp(join(tmpdir(), 'manager-'));
    const config = loadManagerConfig({
      MONGO_URL: testDatabaseUrl(purpose),
      ADMIN_TOKEN: TEST_TOKEN,
      MANAGER_STATE_DIR: stateDir,
      LOG_LEVEL: 'silent',
      POLL_INTERVAL_MS: '0',
      MASTER_KEY_FILE: testMasterKeyFile(),
      // Notifications go only to receivers the tests run on this machine.
      NOTIFICATION_HOSTS: '127.0.0.1',
      NOTIFICATION_PRIVATE_HOSTS: '127.0.0.1',
      ...env,
    });
    const app = await NestFactory.create(ManagerModule.forRoot(config), {
      logger: false,
      rawBody: true,
      abortOnError: false, // a start that fails rejects, for the test to see why
    });
    // A start that fails (a wrong master key) leaves nothing running behind it for the next start to meet.
    await app.init().catch(async (error: unknown) => {
      await app.close().catch(() => undefined);
      await rm(stateDir, { recursive: true, force: true });
      throw error;
    });
    return new ManagerApp(app, stateDir);
  }

  /** supertest against the app; add `.set(auth)` for the admin. */
  http() {
    return request(this.app.getHttpServer());
  }

  get<T>(token: { new (...args: never[]): T } | symbol | string): T {
    return this.app.get<T>(token as never);
  }

  /** Stops the app as a killed process would leave things: its database as it is, for a next run to find. */
  async stopKeepingDatabase(): Promise<void> {
    await this.app.close();
    await rm(this.stateDir, { recursive: true, force: true });
  }

  async stop(): Promise<void> {
    await this.app.get<Connection>(DATABASE).dropDatabase();
    await this.app.close();
    await rm(this.stateDir, { recursive: true, force: true });
  }
}

export const auth = { Authorization: `Bearer ${TEST_TOKEN}` };
