import { KeyedLock } from '@testausdeploy/service';

/**
 * One thing at a time per compose project on this Worker: a deployment (fetch, checkout, check, up, prune) and a
 * lifecycle action never interleave with another of the same project. The Manager sends one at a time, but a
 * Manager that restarted mid-deployment sends it again while the first still runs, and the second's clean-up
 * must not remove the checkout the first is building from.
 */
export class ProjectLocks extends KeyedLock {}
