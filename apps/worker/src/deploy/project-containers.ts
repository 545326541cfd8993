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
}
