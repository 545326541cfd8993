import type Dockerode from 'dockerode';

export interface ContainerPortView {
  /** Host address the port is published on; absent when the port is only exposed, not published. */
  ip?: string;
  privatePort: number;
  publicPort?: number;
  protocol: string;
}

export interface ContainerView {
  id: string;
  name: string;
  service: string;
  /** Docker's state word: created, running, paused, restarting, removing, exited or dead. */
  state: string;
  /** Docker's human summary, e.g. "Up 5 seconds" or "Exited (1) 2 minutes ago". */
  status: string;
  ports: ContainerPortView[];
}

/** What dockerd gives a container to stop when it sets no `stop_grace_period`. */
const DOCKER_STOP_SECONDS = 10;
/** The longest a retired version's container is given to stop, whatever it asks for. */
const MAX_STOP_SECONDS = 30;

/** What is running for a compose project, read from dockerd by the labels compose puts on its containers. */
export class ProjectContainers {
  constructor(private readonly docker: Dockerode) {}

  async list(projectName: string): Promise<ContainerView[]> {
    const containers = await this.docker.listContainers({
      all: true,
      filters: { label: [`com.docker.compose.project=${projectName}`] },
    });
    return containers
      .map((c): ContainerView => ({
        id: c.Id,
        name: (c.Names[0] ?? '').replace(/^\//, ''),
        service: c.Labels['com.docker.compose.service'] ?? '',
        state: c.State,
        status: c.Status,
        // The API leaves IP and PublicPort out for unpublished ports, whatever the typings claim.
        ports: c.Ports.map((p) => ({
          ...(p.IP ? { ip: p.IP } : {}),
          privatePort: p.PrivatePort,
          ...(p.PublicPort ? { publicPort: p.PublicPort } : {}),
          protocol: p.Type,
        })),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Removes whatever dockerd still has of the project by compose's label: containers (running or not), then its
   * named volumes and networks. What compose removes on `down` is gone already; this is for what it no longer
   * knows (a project removed before, keeping its volumes).
   */
  async removeAll(projectName: string): Promise<void> {
    const filters = { label: [`com.docker.compose.project=${projectName}`] };
    for (const { Id } of await this.docker.listContainers({ all: true, filters })) {
      await this.docker.getContainer(Id).remove({ force: true, v: true });
    }
    const { Volumes } = await this.docker.listVolumes({ filters });
    for (const { Name } of Volumes ?? []) await this.docker.getVolume(Name).remove();
    for (const { Id } of await this.docker.listNetworks({ filters }))
      await this.docker.getNetwork(Id).remove();
  }

  /**
   * Takes a compose project's containers down (each stopped, with its own `stop_grace_period` to finish but at
   * most MAX_STOP_SECONDS, then removed with its anonymous volumes), its networks and the images it built, keeping
   * every named volume: a version's slot goes, the project's data stays (handover/project-slots.ts). With `kill`,
   * they are not given time. The number of containers removed.
   */
  async removeContainers(projectName: string, kill = false): Promise<number> {
    const filters = { label: [`com.docker.compose.project=${projectName}`] };
    const containers = await this.docker.listContainers({ all: true, filters });
    await Promise.all(
      containers.map(async ({ Id, State }) => {
        const container = this.docker.getContainer(Id);
        if (State === 'running' && !kill) {
          const { Config } = await container.inspect();
          const grace = (Config as { StopTimeout?: number }).StopTimeout ?? DOCKER_STOP_SECONDS;
          await container.stop({ t: Math.min(grace, MAX_STOP_SECONDS) }).catch(() => undefined);
        }
        await container.remove({ force: true, v: true });
      }),
    );
    for (const { Id } of await this.docker.listNetworks({ filters }))
      await this.docker.getNetwork(Id).remove();
    // Compose names what it builds `<project>_<service>` (with --compatibility): that namespace is this project's.
    for (const { RepoTags } of await this.docker.listImages()) {
      for (const tag of RepoTags ?? [])
        if (tag.startsWith(`${projectName}_`))
          await this.docker
            .getImage(tag)
            .remove()
            .catch(() => undefined);
    }
    return containers.length;
  }

  /** The host paths the project's containers mount (bind mounts and volumes alike). */
  async mountSources(projectName: string): Promise<string[]> {
    const containers = await this.docker.listContainers({
      all: true,
      filters: { label: [`com.docker.compose.project=${projectName}`] },
    });
    return containers.flatMap((container) =>
      (container.Mounts ?? []).map((mount) => mount.Source).filter(Boolean),
    );
  }

  /** The project's containers with restarts, CPU and memory (dockerd samples CPU over about a second). */
  async usage(projectName: string): Promise<ContainerUsage[]> {
    const containers = await this.list(projectName);
    return Promise.all(
      containers.map(async (view) => {
        const container = this.docker.getContainer(view.id);
        const inspected = await container.inspect();
        const running = view.state === 'running';
        const stats = running ? ((await container.stats({ stream: false })) as unknown as DockerStats) : null;
        return {
          ...view,
          restarts: inspected.RestartCount ?? 0,
          cpuPercent: stats ? cpuPercent(stats) : null,
          memoryBytes: stats?.memory_stats?.usage ?? null,
          memoryLimitBytes: stats?.memory_stats?.limit ?? null,
        };
      }),
    );
  }
}

export interface ContainerUsage extends ContainerView {
  restarts: number;
  cpuPercent: number | null;
  memoryBytes: number | null;
  memoryLimitBytes: number | null;
}

interface DockerStats {
  cpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number; online_cpus?: number };
  precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number };
  memory_stats?: { usage?: number; limit?: number };
}

/** docker stats' CPU figure: the container's share of the host's CPU time between two samples, times CPUs. */
function cpuPercent(stats: DockerStats): number {
  const cpu =
    (stats.cpu_stats?.cpu_usage?.total_usage ?? 0) - (stats.precpu_stats?.cpu_usage?.total_usage ?? 0);
  const system = (stats.cpu_stats?.system_cpu_usage ?? 0) - (stats.precpu_stats?.system_cpu_usage ?? 0);
  const cpus = stats.cpu_stats?.online_cpus ?? 1;
  return system > 0 && cpu > 0 ? Math.round((cpu / system) * cpus * 10_000) / 100 : 0;
}
