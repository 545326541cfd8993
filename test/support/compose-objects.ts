import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What dockerd holds of one compose project: containers, networks and volumes by label, images by name. */
export interface ComposeObjects {
  containers: string[];
  networks: string[];
  volumes: string[];
  images: string[];
}

async function lines(...args: string[]): Promise<string[]> {
  const { stdout } = await run('docker', args);
  return stdout.split('\n').filter(Boolean);
}

/**
 * Everything of `project` on this dockerd. Images are found by name (`<project>_…`, as compose names what it
 * builds with `--compatibility`), since compose v1 labels none.
 */
export async function composeObjects(project: string): Promise<ComposeObjects> {
  const label = `label=com.docker.compose.project=${project}`;
  const [containers, networks, volumes, images] = await Promise.all([
    lines('ps', '-aq', '--filter', label),
    lines('network', 'ls', '-q', '--filter', label),
    lines('volume', 'ls', '-q', '--filter', label),
    lines('image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'),
  ]);
  const own = images.filter((image) => image === project || image.startsWith(`${project}_`));
  return { containers, networks, volumes, images: own };
}

/**
 * Removes everything of `projects` from dockerd, whatever state their deployments ended in: every container first,
 * since the two compose projects of a routed project share its named volumes.
 */
export async function removeComposeObjects(...projects: string[]): Promise<void> {
  const all = await Promise.all(projects.map(composeObjects));
  const of = (kind: keyof ComposeObjects) => all.flatMap((objects) => objects[kind]);
  if (of('containers').length) await run('docker', ['rm', '-f', '-v', ...of('containers')]);
  if (of('networks').length) await run('docker', ['network', 'rm', ...of('networks')]);
  if (of('volumes').length) await run('docker', ['volume', 'rm', '-f', ...of('volumes')]);
  if (of('images').length) await run('docker', ['image', 'rm', '-f', ...of('images')]);
}
