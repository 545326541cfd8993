import { Injectable, OnModuleInit } from '@nestjs/common';
import { IndexDescription } from 'mongodb';
import { Projection, StoredEvent, View, Views } from '@testausdeploy/events';
import { ReadModels } from './read-models';

/**
 * A read model of the Manager: registers itself with ReadModels, which runs, rebuilds and queries it. Decorated
 * so that its constructor's parameter types are recorded: subclasses without a constructor inherit them.
 */
@Injectable()
export abstract class RegisteredProjection<D extends View> implements Projection<D>, OnModuleInit {
  abstract readonly name: string;
  abstract readonly version: number;
  abstract readonly indexes: IndexDescription[];

  constructor(private readonly readModels: ReadModels) {}

  onModuleInit(): void {
    this.readModels.register(this);
  }

  abstract apply(event: StoredEvent, views: Views<D>): Promise<void>;
}
