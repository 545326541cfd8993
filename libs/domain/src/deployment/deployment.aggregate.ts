import { AggregateRoot } from '../aggregate-root';
import { Conflict } from '../errors';
import { DeploymentSource, DeploymentSourceProps } from './deployment-source';
import { DeployedContainer, DeploymentEvent, DeploymentSucceeded, PinnedVersion } from './deployment.events';

export type DeploymentStatus = 'requested' | 'succeeded' | 'failed' | 'stopped' | 'removed';

export type LifecycleAction = 'stop' | 'start' | 'restart' | 'remove';

/** The statuses each action may start from, and the status it leads to. */
const LIFECYCLE: Record<LifecycleAction, { from: DeploymentStatus[]; to: DeploymentStatus }> = {
  stop: { from: ['succeeded'], to: 'stopped' },
  start: { from: ['stopped'], to: 'succeeded' },
  restart: { from: ['succeeded'], to: 'succeeded' },
  remove: { from: ['succeeded', 'stopped'], to: 'removed' },
};

const LIFECYCLE_EVENT = {
  stop: 'DeploymentStopped',
  start: 'DeploymentStarted',
  restart: 'DeploymentRestarted',
  remove: 'DeploymentRemoved',
} as const;

/** The longest failure reason recorded. */
export const MAX_REASON = 2000;

/** One deployment of a compose project; it owns the order of its lifecycle. */
export class Deployment extends AggregateRoot<DeploymentEvent> {
  private state: {
    status: DeploymentStatus;
    source: DeploymentSourceProps;
    requestedBy: string;
    pinned: PinnedVersion | null;
    configurationVersion: number;
    moveTo: string | null;
    /** What the attempt ran, once it succeeded: what a rollback to it restores. */
    ran: { commit: string; composeDigest: string } | null;
  } | null = null;

  constructor(readonly id: string) {
    super();
  }

  static streamId(id: string): string {
    return `deployment-${id}`;
  }

  get status(): DeploymentStatus | null {
    return this.state?.status ?? null;
  }

  get source(): DeploymentSourceProps {
    if (!this.state) throw new Conflict(`deployment ${this.id} was never requested`);
    return this.state.source;
  }

  get requestedBy(): string {
    return this.state?.requestedBy ?? '';
  }

  /** The version to run instead of the branch head (a rollback), or null. */
  get pinned(): PinnedVersion | null {
    return this.state?.pinned ?? null;
  }

  /** The version of the project's configuration this attempt runs with (0: no variables). */
  get configurationVersion(): number {
    return this.state?.configurationVersion ?? 0;
  }

  /** The node a move runs this attempt on (its project runs elsewhere until it succeeds), or null. */
  get moveTo(): string | null {
    return this.state?.moveTo ?? null;
  }

  /**
   * A new attempt: of the branch's head, or of `pinned`'s commit (a rollback), with that configuration version;
   * with `moveTo`, on that node instead of the project's own (a move).
   */
  request(
    source: DeploymentSource,
    requestedBy: string,
    configurationVersion: number,
    pinned?: PinnedVersion,
    moveTo?: string,
  ): void {
    if (this.state) throw new Conflict(`deployment ${this.id} was already requested`);
    this.record({
      type: 'DeploymentRequested',
      data: {
        deploymentId: this.id,
        ...source.props,
        requestedBy,
        ...(pinned && { pinned }),
        configurationVersion,
        ...(moveTo && { moveTo }),
      },
    });
  }

  /**
   * What a rollback to this attempt restores: its commit and compose file, recorded when it succeeded, and the
   * configuration version it ran with.
   */
  restorable(): { pinned: PinnedVersion; configurationVersion: number } {
    if (!this.state?.ran) {
      throw new Conflict(`deployment ${this.id} never succeeded: there is nothing of it to restore`);
    }
    return {
      pinned: { ...this.state.ran, rollbackOf: this.id },
      configurationVersion: this.state.configurationVersion,
    };
  }

  /** The commit and the compose file's digest are what a later rollback restores exactly. */
  succeed({
    commit,
    composeDigest,
    containers,
    diskBytes,
    upstreams = [],
    handover,
  }: Omit<DeploymentSucceeded['data'], 'deploymentId'>): void {
    this.ensureInProgress();
    this.record({
      type: 'DeploymentSucceeded',
      data: {
        deploymentId: this.id,
        commit,
        composeDigest,
        containers,
        ...(diskBytes !== undefined && { diskBytes }),
        ...(upstreams.length > 0 && { upstreams }),
        ...(handover && { handover }),
      },
    });
  }

  /** Refuses an action the deployment's status does not allow, before anyone acts on the project. */
  ensureCan(action: LifecycleAction): void {
    const status = this.state?.status;
    if (!status || !LIFECYCLE[action].from.includes(status)) {
      throw new Conflict(`deployment ${this.id} is ${status ?? 'unknown'}: it cannot ${action}`);
    }
  }

  /** Refuses to read the project's containers unless this deployment put them there and they still exist. */
  ensureDeployed(): void {
    const status = this.state?.status;
    if (status !== 'succeeded' && status !== 'stopped') {
      throw new Conflict(`deployment ${this.id} is ${status ?? 'unknown'}: it has no containers to read`);
    }
  }

  /** Records an action the Worker carried out on the project, and how its containers stand now. */
  changed(
    action: LifecycleAction,
    requestedBy: string,
    containers: DeployedContainer[],
    volumesRemoved = false,
  ): void {
    this.ensureCan(action);
    const { org, repo } = this.source;
    const data = { deploymentId: this.id, org, repo, requestedBy, containers };
    if (action === 'remove') this.record({ type: 'DeploymentRemoved', data: { ...data, volumesRemoved } });
    else this.record({ type: LIFECYCLE_EVENT[action], data });
  }

  /**
   * Its project was removed: nothing of this attempt runs or is kept any more, whatever its outcome was, and no
   * poller or webhook follows its source from here on. One still waiting to run never will (the remover holds
   * the repository's lock, so none is running).
   */
  removedWithProject(requestedBy: string): void {
    if (this.status === 'removed') return;
    const { org, repo } = this.source;
    const data = { deploymentId: this.id, org, repo, requestedBy, containers: [], volumesRemoved: true };
    this.record({ type: 'DeploymentRemoved', data });
  }

  /**
   * A reason stays in the event log for good, so it is bounded; the Worker sends a policy's findings or a fixed
   * summary, never a build's output. `commit` is the one that failed, if the Worker got as far as checking it out.
   */
  fail(reason: string, commit?: string | null): void {
    this.ensureInProgress();
    const bounded = reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON)}…` : reason;
    this.record({
      type: 'DeploymentFailed',
      data: { deploymentId: this.id, reason: bounded, ...(commit && { commit }) },
    });
  }

  protected apply(event: DeploymentEvent): void {
    switch (event.type) {
      case 'DeploymentRequested': {
        const { org, repo, branch, composePath, pinned, requestedBy, configurationVersion, moveTo } =
          event.data;
        this.state = {
          status: 'requested',
          source: { org, repo, branch, composePath },
          requestedBy,
          pinned: pinned ?? null,
          configurationVersion: configurationVersion ?? 0,
          moveTo: moveTo ?? null,
          ran: null,
        };
        break;
      }
      case 'DeploymentSucceeded': {
        const { commit, composeDigest } = event.data;
        if (this.state) this.state = { ...this.state, status: 'succeeded', ran: { commit, composeDigest } };
        break;
      }
      case 'DeploymentFailed':
        this.setStatus('failed');
        break;
      case 'DeploymentStopped':
        this.setStatus(LIFECYCLE.stop.to);
        break;
      case 'DeploymentStarted':
      case 'DeploymentRestarted':
        this.setStatus('succeeded');
        break;
      case 'DeploymentRemoved':
        this.setStatus(LIFECYCLE.remove.to);
        break;
    }
  }

  private setStatus(status: DeploymentStatus): void {
    if (this.state) this.state = { ...this.state, status };
  }

  private ensureInProgress(): void {
    if (this.state?.status !== 'requested') {
      throw new Conflict(`deployment ${this.id} is ${this.state?.status ?? 'unknown'}, not in progress`);
    }
  }
}
