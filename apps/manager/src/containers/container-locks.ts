import { Injectable } from '@nestjs/common';
import { KeyedLock } from '@testausdeploy/service';

/**
 * One change at a time per container name: two requests that both pass the checks (two snapshots at the quota,
 * a restart during an export) would otherwise both have the Worker act, and the second to record would be
 * refused after the fact, leaving a snapshot or a backup file nothing records. Held in the Manager's memory,
 * where every change is run from (the scheduler's too).
 */
@Injectable()
export class ContainerLocks extends KeyedLock {}
