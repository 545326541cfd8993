import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import mongoose, { Connection } from 'mongoose';
import { EventStore } from '@testausdeploy/events';
import { ManagerConfig } from '../config/manager-config';

/** Token for the Manager's one MongoDB connection. */
export const DATABASE = Symbol('DATABASE');

@Global()
@Module({
  providers: [
    {
      provide: DATABASE,
      inject: [ManagerConfig],
      useFactory: async (config: ManagerConfig) =>
        mongoose.createConnection(config.MONGO_URL, { serverSelectionTimeoutMS: 10_000 }).asPromise(),
    },
    {
      provide: EventStore,
      inject: [DATABASE],
      useFactory: async (connection: Connection) => {
        const store = new EventStore(connection);
        await store.init();
        return store;
      },
    },
  ],
  exports: [DATABASE, EventStore],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DATABASE) private readonly connection: Connection) {}

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}
