import Dockerode from 'dockerode';
import type { NodeCapacity } from '@testausdeploy/icp';
import { slotOwner } from './handover/project-slots';

/**
 * Deployed projects' share of the Worker's capacity, from dockerd: the projects with a container (both slots of
 * one project count once) and their running containers, and which engine it is. Only compose projects named as
 * this Worker names them.
 */
export class ProjectCapacity {
  constructor(private readonly docker: Dockerode) {}

  async measure(): Promise<Pick<NodeCapacity, 'projects' | 'projectContainers' | 'dockerEngine'>> {
    const [containers, engine] = await Promise.all([
      this.docker.listContainers({ all: true, filters: { label: ['com.docker.compose.project'] } }),
      this.docker.info() as Promise<{ ID: string }>,
    ]);
    const projects = new Set<string>();
    let running = 0;
    for (const container of containers) {
      const owner = slotOwner(container.Labels['com.docker.compose.project'] ?? '');
      if (!owner) continue;
      projects.add(owner);
      if (container.State === 'running') running++;
    }
    return { projects: projects.size, projectContainers: running, dockerEngine: engine.ID };
  }
}
