import { AggregateRoot } from '../aggregate-root';
import { Conflict } from '../errors';
import { DeploymentSource, DeploymentSourceProps } from './deployment-source';
import { DeployedContainer, DeploymentEvent } from './deployment.events';

export type DeploymentStatus = 'requested' | 'succeeded' | 'failed';

/** One deployment of a compose project; it owns the order of its lifecycle. */
export class Deployment extends AggregateRoot<DeploymentEvent> {
  private state: { status: DeploymentStatus; source: DeploymentSourceProps } | null = null;

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

  request(source: DeploymentSource, requestedBy: string): void {
    if (this.state) throw new Conflict(`deployment ${this.id} was already requested`);
    this.record({
      type: 'DeploymentRequested',
      data: { deploymentId: this.id, ...source.props, requestedBy },
    });
  }

  /** The commit and the compose file's digest are what a later rollback restores exactly. */
  succeed(commit: string, composeDigest: string, containers: DeployedContainer[]): void {
    this.ensureInProgress();
    this.record({
      type: 'DeploymentSucceeded',
      data: { deploymentId: this.id, commit, composeDigest, containers },
    });
  }

  fail(reason: string): void {
    this.ensureInProgress();
    this.record({ type: 'DeploymentFailed', data: { deploymentId: this.id, reason } });
  }

  protected apply(event: DeploymentEvent): void {
    switch (event.type) {
      case 'DeploymentRequested': {
        const { org, repo, branch, composePath } = event.data;
        this.state = { status: 'requested', source: { org, repo, branch, composePath } };
        break;
      }
      case 'DeploymentSucceeded':
        this.setStatus('succeeded');
        break;
      case 'DeploymentFailed':
        this.setStatus('failed');
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
