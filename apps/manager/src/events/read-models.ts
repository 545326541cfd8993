import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Collection, Db, Document } from 'mongodb';
import { EventStore, Projection, ProjectionRunner, RebuildResult, View } from '@testausdeploy/events';

/**
 * The Manager's read models. Capability modules register their projections while the app initialises; the
 * runner starts once all are known, keeps each up to date with its own checkpoint, and rebuilds on request.
 */
@Injectable()
export class ReadModels implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly projections: Projection[] = [];
  private runner: ProjectionRunner | null = null;

  constructor(
    private readonly db: Db,
    private readonly store: EventStore,
  ) {}

  register<D extends View>(projection: Projection<D>): void {
    this.projections.push(projection as unknown as Projection);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.runner = new ProjectionRunner(this.db, this.store, this.projections);
    await this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner?.stop();
  }

  names(): string[] {
    return this.projections.map((projection) => projection.name);
  }

  collection<D extends Document>(name: string): Collection<D> {
    return this.started().collection<D>(name);
  }

  waitFor(position: number): Promise<boolean> {
    return this.started().waitFor(position);
  }

  /** Rebuilds the named read models (all when none are named) from the log, one after the other. */
  rebuild(names: string[]): Promise<RebuildResult[]> {
    return this.started().rebuild(names);
  }

  asOf<T>(name: string, position: number, use: (collection: Collection) => Promise<T>): Promise<T> {
    return this.started().asOf(name, position, use);
  }

  private started(): ProjectionRunner {
    if (!this.runner) throw new Error('read models are not started yet');
    return this.runner;
  }
}
