import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { Db } from 'mongodb';
import mongoose, { Connection } from 'mongoose';
import { domainUpcasters } from '@testausdeploy/domain';
import { EventStore } from '@testausdeploy/events';
import { ManagerConfig } from '../config/manager-config';
import { databaseCredentials } from './database-credentials';
import { claimWriterIdentity } from './event-writer-identity';

/** Token for the Manager's one MongoDB connection. */
export const DATABASE = Symbol('DATABASE');

@Global()
@Module({
  providers: [
    {
      provide: DATABASE,
      inject: [ManagerConfig],
      useFactory: async (config: ManagerConfig) =>
        mongoose
          .createConnection(config.MONGO_URL, {
            serverSelectionTimeoutMS: 10_000,
            ...(await databaseCredentials(config)),
          })
          .asPromise(),
    },
    { provide: Db, inject: [DATABASE], useFactory: (connection: Connection) => connection.db },
    {
      provide: EventStore,
      inject: [Db, ManagerConfig],
      useFactory: async (db: Db, config: ManagerConfig) => {
        const identity = await claimWriterIdentity(config.MANAGER_STATE_DIR);
        const store = new EventStore(db, {
          source: 'manager',
          upcasters: domainUpcasters,
          writer: identity.writer,
          recover: identity.recover,
        });
        await store.init();
        await identity.recovered();
        return store;
      },
    },
  ],
  exports: [DATABASE, Db, EventStore],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DATABASE) private readonly connection: Connection) {}

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}
