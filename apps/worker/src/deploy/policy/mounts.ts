import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isInside, realTarget, SymlinkLoop } from './checkout-paths';
import { dockerfileProblems } from './dockerfile';
import { isMapping, type Finding } from './shapes';

export interface MountContext {
  /** The compose project's name (its images' namespace). */
  project: string;
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
  // dockerd bind-mounts secret and config files itself: each must be a file of the commit, named by its real path.
  const files: Record<string, unknown> = {};
  for (const kind of ['secrets', 'configs'] as const) {
    if (rendered[kind] === undefined) continue;
    const entries: Record<string, unknown> = {};
    for (const [name, entry] of Object.entries(mappingOf(rendered[kind]))) {
      const spec = { ...mappingOf(entry) };
      if (typeof spec.file === 'string') {
        const judged = await committed(spec.file, context.checkout);
        if ('problem' in judged)
          findings.push({ path: `${kind}.${name}.file`, rule: `${spec.file} ${judged.problem}` });
        else spec.file = judged.real;
      }
      entries[name] = spec;
    }
    files[kind] = entries;
  }
  return { rendered: { ...rendered, services, ...files }, findings, notes, data: [...data] };
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
  const judged = await judge(source, checkout);
  if ('problem' in judged) {
    refuse(`bind mount of ./${path.relative(checkout, source)} ${judged.problem}`);
    return null;
  }
  const { real, exists } = judged;
  const relative = path.relative(checkout, real);
  const { bind, ...rest } = mount;
  const options = isMapping(bind) ? { bind: { ...bind, create_host_path: false } } : {};
  if (exists) {
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
  { checkout, project }: MountContext,
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
  const judged = await committed(context, checkout);
  if ('problem' in judged) {
    refuse(`build context ${context} ${judged.problem}`, 'context');
    return spec;
  }
  const name = typeof spec.dockerfile === 'string' ? spec.dockerfile : 'Dockerfile';
  const dockerfile = path.resolve(judged.real, name);
  const file = isInside(judged.real, dockerfile) ? await committed(dockerfile, checkout) : null;
  if (!file) refuse(`dockerfile ${name} climbs out of the build context`, 'dockerfile');
  else if ('problem' in file) refuse(`dockerfile ${name} ${file.problem}`, 'dockerfile');
  else
    for (const problem of await dockerfileProblems(file.real, project))
      refuse(`${name} ${problem}`, 'dockerfile');
  return { ...spec, context: judged.real };
}

type Judged = { real: string; exists: boolean } | { problem: string };

/**
 * Where a path the project hands dockerd or compose really leads (no symlink left in it), and whether something
 * is there, or why it may not be used: outside the checkout (through symlinks, dangling ones too), a loop, or a
 * `$`, which compose would read as a variable when it runs the checked file, so it would name another path.
 */
async function judge(file: string, checkout: string): Promise<Judged> {
  if (file.includes('$')) return { problem: 'holds "$", which compose would read as a variable: rename it' };
  if (!isInside(checkout, path.resolve(file))) return { problem: 'is outside the repository' };
  const real = await realTarget(file).catch((error: Error) => {
    if (error instanceof SymlinkLoop) return null;
    throw error;
  });
  if (real === null) return { problem: 'runs into a symlink loop' };
  if (!isInside(checkout, real)) return { problem: 'goes through a symlink out of the repository' };
  const exists = await fs.lstat(real).then(
    () => true,
    () => false,
  );
  return { real, exists };
}

/** As judge, for what must be in the commit (a build context, a Dockerfile, a secret's file). */
async function committed(file: string, checkout: string): Promise<{ real: string } | { problem: string }> {
  const judged = await judge(file, checkout);
  if ('problem' in judged || judged.exists) return judged;
  return { problem: 'is not in the repository' };
}

function mappingOf(value: unknown): Record<string, unknown> {
  return isMapping(value) ? value : {};
}
