import { Injectable } from '@nestjs/common';
import { KeyedLock } from '@testausdeploy/service';

/**
 * Changes of routes, of any project, one at a time: two cannot both take a host name that was free, and a
 * project's removal cannot clear its routes while a change of them is being decided.
 */
@Injectable()
export class RouteChanges {
  private readonly lock = new KeyedLock();

  run<T>(work: () => Promise<T>): Promise<T> {
    return this.lock.run('routes', work);
  }
}
