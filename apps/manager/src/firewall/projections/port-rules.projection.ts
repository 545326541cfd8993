import { Injectable } from '@nestjs/common';
import {
  ContainerEvent,
  DeployedContainer,
  isContainerEvent,
  isDeploymentEvent,
} from '@testausdeploy/domain';
import { OpenPort } from '@testausdeploy/icp';
import { StoredEvent, Views } from '@testausdeploy/events';
import { RegisteredProjection } from '../../events/registered-projection';
import { PortRulesView } from './port-rules-view';

export const PORT_RULES = 'firewall';

const projectOwner = (org: string, repo: string) => `project:${org}/${repo}`;
const attemptKey = (deploymentId: string) => `attempt:${deploymentId}`;
const containerOwner = (name: string) => `container:${name}`;
/** Members reach their container's sshd through this host port. */
const SSH_PORT = 22;
/** Ports bound to loopback only are not reachable from outside: nothing to open. */
const LOOPBACK = new Set(['127.0.0.1', '::1']);

/** The host ports a project's containers publish to the outside, once each. */
function publishedPorts(owner: string, containers: DeployedContainer[]): OpenPort[] {
  const ports = new Map<string, OpenPort>();
  for (const { ports: published } of containers) {
    for (const { ip, publicPort, protocol } of published) {
      if (!publicPort || (ip && LOOPBACK.has(ip)) || (protocol !== 'tcp' && protocol !== 'udp')) continue;
      ports.set(`${protocol}/${publicPort}`, { owner, protocol, port: publicPort });
    }
  }
  return [...ports.values()].sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
}

/**
 * Which project owns which published host ports: opened when a deployment succeeds or its project is started,
 * replaced by the next success, closed when the project is stopped or removed. A failed attempt changes
 * nothing: the previous version keeps running, with its ports.
 */
@Injectable()
export class PortRulesProjection extends RegisteredProjection<PortRulesView> {
  readonly name = PORT_RULES;
  readonly version = 2;
  readonly indexes = [];

  async apply(event: StoredEvent, views: Views<PortRulesView>): Promise<void> {
    if (isContainerEvent(event)) return this.applyContainer(event, views, event.position);
    if (!isDeploymentEvent(event)) return;
    const { position } = event;
    switch (event.type) {
      case 'DeploymentRequested': {
        const { deploymentId, org, repo } = event.data;
        views.put({
          _id: attemptKey(deploymentId),
          kind: 'attempt',
          owner: projectOwner(org, repo),
          position,
        });
        return;
      }
      case 'DeploymentSucceeded': {
        const attempt = await views.get(attemptKey(event.data.deploymentId));
        if (attempt?.kind !== 'attempt') return;
        views.delete(attempt._id);
        this.publish(views, attempt.owner, event.data.containers, position);
        return;
      }
      case 'DeploymentFailed':
        views.delete(attemptKey(event.data.deploymentId));
        return;
      case 'DeploymentStarted':
      case 'DeploymentRestarted':
        this.publish(views, projectOwner(event.data.org, event.data.repo), event.data.containers, position);
        return;
      case 'DeploymentStopped':
      case 'DeploymentRemoved':
        views.delete(projectOwner(event.data.org, event.data.repo));
        return;
    }
  }

  /** A container's SSH port is forwarded to its address once it exists, and no longer once it is gone. */
  private async applyContainer(event: ContainerEvent, views: Views<PortRulesView>, position: number) {
    const owner = containerOwner(event.data.name);
    const attempt = attemptKey(owner);
    if (event.type === 'ContainerRequested') {
      views.put({ _id: attempt, kind: 'attempt', owner, sshPort: event.data.sshPort, position });
    } else if (event.type === 'ContainerCreated') {
      const pending = await views.get(attempt);
      if (pending?.kind !== 'attempt' || !pending.sshPort) return;
      views.delete(attempt);
      if (!event.data.ipv4) return;
      const forward = {
        owner,
        protocol: 'tcp' as const,
        hostPort: pending.sshPort,
        address: event.data.ipv4,
        port: SSH_PORT,
      };
      views.put({ _id: owner, kind: 'rules', open: [], forwards: [forward], position });
    } else if (event.type === 'ContainerMoved') {
      const rules = await views.get(owner);
      if (rules?.kind !== 'rules') return;
      const forwards = event.data.ipv4
        ? rules.forwards.map((rule) => ({ ...rule, address: event.data.ipv4! }))
        : [];
      views.put({ ...rules, forwards, position });
    } else if (event.type === 'ContainerCreationFailed' || event.type === 'ContainerDeleted') {
      views.delete(attempt);
      views.delete(owner);
    }
  }

  private publish(
    views: Views<PortRulesView>,
    owner: string,
    containers: DeployedContainer[],
    position: number,
  ) {
    const open = publishedPorts(owner, containers);
    if (open.length === 0) views.delete(owner);
    else views.put({ _id: owner, kind: 'rules', open, forwards: [], position });
  }
}
