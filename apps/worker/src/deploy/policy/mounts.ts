import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isInside, realTarget } from './clone-paths';
import { isMapping, type Finding } from './shapes';

export interface MountContext {
  /** The real path of the attempt's checkout. */
  checkout: string;
  /** Where a bind mount of `relative`, a path the commit does not have, keeps its data (ProjectData.mountDir). */
  dataDir(relative: string): string;
}

/** A rendered project with its file system paths judged: what may run, and what was refused. */
export interface PlacedProject {
  rendered: Record<string, unknown>;
  findings: Finding[];
  /** What the member should know about how their mounts were placed (read-only, kept as data). */
  notes: string[];
  /** The paths of the checkout whose data directories must exist before compose runs (ProjectData.mountDir). */
  data: string[];
}

const ENGINE_SOCKET = /docker\.sock|containerd\.sock|lxd\/unix\.socket|podman\.sock/;

/**
 * The file system half of the policy, on a project the allow-list admitted. Every path the project hands dockerd
 * must lead into the checkout after symlinks: bind mount sources, build contexts and Dockerfiles, secret and
 * config files. A bind mount of something the commit has is mounted read-only from the checkout (no container
 * can change what another container, or the next deployment, mounts or builds from); a bind mount of something
 * the commit does not have (`./data`) is the project's data and is mounted, writable, from a directory of its
 * own outside the checkout, which outlives redeploys. Mounts are rewritten in the long syntax with their real
 * sources, so dockerd follows no symlink that was not judged here.
 */
export async function placeMounts(
  rendered: Record<string, unknown>,
  context: MountContext,
): Promise<PlacedProject> {
  const findings: Finding[] = [];
  const notes: string[] = [];
  const data = new Set<string>();
  const services: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(mappingOf(rendered.services))) {
    const at = `services.${name}`;
    const service = { ...mappingOf(spec) };
    if (Array.isArray(service.volumes)) {
      const placed: unknown[] = [];
      for (const [index, volume] of service.volumes.entries()) {
        const where = `${at}.volumes[${index}]`;
        const result = await placeMount(volume, context, (rule) => findings.push({ path: where, rule }));
        if (result) {
          placed.push(result.mount);
          if (result.note) notes.push(`${where}: ${result.note}`);
          if (result.data !== undefined) data.add(result.data);
        }
      }
      service.volumes = placed;
    }
    if (service.build !== undefined) {
      service.build = await placeBuild(service.build, context, (rule, key) =>
        findings.push({ path: `${at}.build${key ? `.${key}` : ''}`, rule }),
      );
    }
    services[name] = service;
  }
  for (const kind of ['secrets', 'configs'] as const) {
    for (const [name, entry] of Object.entries(mappingOf(rendered[kind]))) {
      const file = mappingOf(entry).file;
      if (typeof file !== 'string') continue;
      const problem = await committedPathProblem(file, context.checkout);
      if (problem) findings.push({ path: `${kind}.${name}.file`, rule: `${file} ${problem}` });
    }
  }
  return { rendered: { ...rendered, services }, findings, notes, data: [...data] };
}

interface Mount {
  type: string;
  source?: string;
  target?: string;
  read_only?: boolean;
  [key: string]: unknown;
}

/** Compose's short syntax (`src:target[:mode]`, as v1 renders mounts) in the long one. */
function longSyntax(volume: unknown): Mount {
  if (isMapping(volume)) return { type: 'volume', ...volume } as Mount;
  const parts = String(volume).split(':');
  if (parts.length === 1) return { type: 'volume', target: parts[0] };
  const [source, target, mode = ''] = parts;
  const options = mode.split(',');
  return {
    type: /^[./~]/.test(source) ? 'bind' : 'volume',
    source,
    target,
    ...(options.includes('ro') && { read_only: true }),
    ...(options.includes('nocopy') && { volume: { nocopy: true } }),
  };
}

async function placeMount(
  volume: unknown,
  { checkout, dataDir }: MountContext,
  refuse: (rule: string) => void,
): Promise<{ mount: Mount; note?: string; data?: string } | null> {
  const mount = longSyntax(volume);
  if (mount.type !== 'bind') return { mount };
  const source = mount.source;
  if (typeof source !== 'string' || !path.isAbsolute(source)) {
    refuse(`bind mount source ${String(source)} cannot be placed`);
    return null;
  }
  if (!isInside(checkout, path.resolve(source))) {
    refuse(
      ENGINE_SOCKET.test(source)
        ? `mounting the container engine's socket (${source}) is not allowed`
        : `bind mount of ${source} is outside the repository: use a named volume or a path in the repository`,
    );
    return null;
  }
  const real = await realTarget(source);
  const relative = path.relative(checkout, real);
  if (!isInside(checkout, real)) {
    refuse(`bind mount of ./${path.relative(checkout, source)} goes through a symlink out of the repository`);
    return null;
  }
  const { bind, ...rest } = mount;
  const options = isMapping(bind) ? { bind: { ...bind, create_host_path: false } } : {};
  if (await exists(real)) {
    const note = mount.read_only
      ? undefined
      : `./${relative || '.'} is in the commit, so it is mounted read-only`;
    return { mount: { ...rest, ...options, source: real, read_only: true }, note };
  }
  return {
    mount: { ...rest, ...options, source: dataDir(relative) },
    note: `./${relative} is not in the commit: it is the project's data, kept across deployments`,
    data: relative,
  };
}

async function placeBuild(
  build: unknown,
  { checkout }: MountContext,
  refuse: (rule: string, key?: string) => void,
): Promise<unknown> {
  const spec: Record<string, unknown> =
    typeof build === 'string' ? { context: build } : { ...mappingOf(build) };
  const context = typeof spec.context === 'string' ? spec.context : '.';
  if (/^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(context)) {
    refuse(`build context ${context} is remote: build from the repository`, 'context');
    return spec;
  }
  if (!path.isAbsolute(context)) {
    refuse(`build context ${context} cannot be placed`, 'context');
    return spec;
  }
  const problem = await committedPathProblem(context, checkout);
  if (problem) {
    refuse(`build context ${context} ${problem}`, 'context');
    return spec;
  }
  const realContext = await realTarget(context);
  if (typeof spec.dockerfile === 'string') {
    const dockerfile = path.resolve(realContext, spec.dockerfile);
    if (!isInside(realContext, dockerfile)) {
      refuse(`dockerfile ${spec.dockerfile} climbs out of the build context`, 'dockerfile');
    } else {
      const dockerfileProblem = await committedPathProblem(dockerfile, checkout);
      if (dockerfileProblem) refuse(`dockerfile ${spec.dockerfile} ${dockerfileProblem}`, 'dockerfile');
    }
  }
  return { ...spec, context: realContext };
}

/** Why `file` may not be read from the checkout (outside it, through a symlink out, not in the commit), or null. */
async function committedPathProblem(file: string, checkout: string): Promise<string | null> {
  if (!isInside(checkout, path.resolve(file))) return 'is outside the repository';
  const real = await realTarget(file);
  if (!isInside(checkout, real)) return 'goes through a symlink out of the repository';
  if (!(await exists(real))) return 'is not in the repository';
  return null;
}

async function exists(file: string): Promise<boolean> {
  return fs.lstat(file).then(
    () => true,
    () => false,
  );
}

function mappingOf(value: unknown): Record<string, unknown> {
  return isMapping(value) ? value : {};
}
