export interface WebSiteOptions {
  /** Folder of the project inside the repository ('' for its root). */
  dir?: string;
  /** A `mem_limit` for the service (else the Worker's default applies). */
  memLimit?: string;
  /** Adds a build step that fails. */
  broken?: boolean;
  /** Adds a build step that takes this many seconds. */
  slowBuildSeconds?: number;
  /** The host address the port is published on (loopback unless a test needs the firewall to open it). */
  hostIp?: string;
}

/**
 * A compose project whose web service is built FROM the local busybox base image and serves `page` with httpd
 * on `127.0.0.1:port` (or `hostIp`). httpd as PID 1 ignores SIGTERM: the short grace period spares every recreate Docker's
 * 10 s wait for the SIGKILL.
 */
export function webSite(port: number, page: string, options: WebSiteOptions = {}): Record<string, string> {
  const at = (path: string) => (options.dir ? `${options.dir}/${path}` : path);
  return {
    [at('docker-compose.yml')]: [
      'services:',
      '  web:',
      '    build: ./web',
      `    ports: ["${options.hostIp ?? '127.0.0.1'}:${port}:8080"]`,
      '    stop_grace_period: 1s',
      ...(options.memLimit ? [`    mem_limit: ${options.memLimit}`] : []),
      '',
    ].join('\n'),
    [at('web/Dockerfile')]: [
      'FROM testausdeploy/busybox:latest',
      ...(options.broken ? ['RUN false'] : []),
      ...(options.slowBuildSeconds ? [`RUN sleep ${options.slowBuildSeconds}`] : []),
      'COPY index.html /www/index.html',
      'CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]',
      '',
    ].join('\n'),
    [at('web/index.html')]: page,
  };
}

/** The page served on 127.0.0.1:`port`, or undefined while nothing answers it with 200. */
export async function servedPage(port: number): Promise<string | undefined> {
  const res = await fetch(`http://127.0.0.1:${port}/`).catch(() => null);
  return res?.ok ? res.text() : undefined;
}
