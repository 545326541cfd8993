import { Injectable, OnModuleInit } from '@nestjs/common';
import { Collection, Document } from 'mongodb';
import { Projection, StoredEvent } from '@testausdeploy/events';
import { ReadModels } from './read-models';

/**
 * A read model of the Manager: registers itself with ReadModels, which runs, rebuilds and queries it. Decorated
 * so that its constructor's parameter types are recorded: subclasses without a constructor inherit them.
 */
@Injectable()
export abstract class RegisteredProjection<D extends Document> implements Projection<D>, OnModuleInit {
  abstract readonly name: string;

  constructor(private readonly readModels: ReadModels) {}

  onModuleInit(): void {
    this.readModels.register(this);
  }

  abstract prepare(target: Collection<D>): Promise<void>;

  abstract apply(target: Collection<D>, events: StoredEvent[]): Promise<void>;
}
