import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Collection, Db, Document } from 'mongodb';
import {
  EventStore,
  Projection,
  ProjectionRunner,
  RebuildProgress,
  RebuildResult,
  View,
} from '@testausdeploy/events';

/**
 * The Manager's read models. Capability modules register their projections while the app initialises; the
 * runner starts once all are known, keeps each up to date with its own checkpoint, and rebuilds on request.
 */
@Injectable()
export class ReadModels implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly projections: Projection[] = [];
  private runner: ProjectionRunner | null = null;
  private markStarted: () => void = () => undefined;
  /** Resolves once the runner is up: for whoever reads a read model while the app is still starting. */
  readonly started: Promise<void> = new Promise((resolve) => (this.markStarted = resolve));

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
    this.markStarted();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner?.stop();
  }

  names(): string[] {
    return this.projections.map((projection) => projection.name);
  }

  collection<D extends Document>(name: string): Collection<D> {
    return this.runnerOf().collection<D>(name);
  }

  waitFor(position: number): Promise<boolean> {
    return this.runnerOf().waitFor(position);
  }

  /** Rebuilds the named read models (all when none are named) from the log, one after the other. */
  rebuild(names: string[]): Promise<RebuildResult[]> {
    return this.runnerOf().rebuild(names);
  }

  /** The rebuilds under way, with how far each has come. */
  rebuilds(): RebuildProgress[] {
    return this.runnerOf().rebuilds();
  }

  asOf<T>(name: string, position: number, use: (collection: Collection) => Promise<T>): Promise<T> {
    return this.runnerOf().asOf(name, position, use);
  }

  private runnerOf(): ProjectionRunner {
    if (!this.runner) throw new Error('read models are not started yet');
    return this.runner;
  }
}
