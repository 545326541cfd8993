import { Injectable } from '@nestjs/common';
import { isDeploymentEvent, isProjectEvent, isRoutesEvent } from '@testausdeploy/domain';
import { StoredEvent, Views } from '@testausdeploy/events';
import { RegisteredProjection } from '../../events/registered-projection';
import { projectKey } from '../../projects/projections/project-view';
import { ProjectRoutesView, RoutesView } from './routes-view';

export const ROUTES = 'routes';

const attemptKey = (deploymentId: string) => `attempt:${deploymentId}`;

/**
 * Each project's routes, the domains delegated to it, and where its running version answers: a success brings the addresses the Worker
 * reported, stopping takes its host names off the proxy and starting puts them back (the addresses are fixed),
 * removing the deployment or the project ends them. A failed attempt changes nothing: the old version serves on.
 */
@Injectable()
export class RoutesProjection extends RegisteredProjection<RoutesView> {
  readonly name = ROUTES;
  readonly version = 3;
  readonly indexes = [];

  async apply(event: StoredEvent, views: Views<RoutesView>): Promise<void> {
    if (isRoutesEvent(event)) {
      const { org, repo } = event.data;
      const view = await this.project(views, org, repo);
      if (event.type === 'DomainsDelegated') {
        views.put({ ...view, domains: event.data.domains });
        return;
      }
      const { routes } = event.data;
      const claimedAt = routes.length === 0 ? null : (view.claimedAt ?? event.position);
      views.put({ ...view, routes, claimedAt });
      return;
    }
    if (isProjectEvent(event)) {
      if (event.type === 'ProjectRemoved') views.delete(projectKey(event.data.org, event.data.repo));
      return;
    }
    if (!isDeploymentEvent(event)) return;
    switch (event.type) {
      case 'DeploymentRequested': {
        const { deploymentId, org, repo } = event.data;
        views.put({
          _id: attemptKey(deploymentId),
          kind: 'attempt',
          org,
          repo,
        });
        return;
      }
      case 'DeploymentSucceeded': {
        const attempt = await views.get(attemptKey(event.data.deploymentId));
        if (attempt?.kind !== 'attempt') return;
        views.delete(attempt._id);
        const view = await this.project(views, attempt.org, attempt.repo);
        views.put({ ...view, upstreams: event.data.upstreams ?? [], serving: true });
        return;
      }
      case 'DeploymentFailed':
        views.delete(attemptKey(event.data.deploymentId));
        return;
      case 'DeploymentStarted':
      case 'DeploymentRestarted':
      case 'DeploymentStopped':
      case 'DeploymentRemoved': {
        // A deployment removed with its project before it ran leaves its attempt behind otherwise.
        if (event.type === 'DeploymentRemoved') views.delete(attemptKey(event.data.deploymentId));
        const view = await views.get(projectKey(event.data.org, event.data.repo));
        if (view?.kind !== 'project') return;
        const serving = event.type === 'DeploymentStarted' || event.type === 'DeploymentRestarted';
        views.put({ ...view, serving, upstreams: event.type === 'DeploymentRemoved' ? [] : view.upstreams });
        return;
      }
    }
  }

  private async project(views: Views<RoutesView>, org: string, repo: string): Promise<ProjectRoutesView> {
    const _id = projectKey(org, repo);
    const view = await views.get(_id);
    if (view?.kind === 'project') return view;
    return {
      _id,
      kind: 'project',
      org,
      repo,
      routes: [],
      domains: [],
      upstreams: [],
      serving: false,
      claimedAt: null,
    };
  }
}
