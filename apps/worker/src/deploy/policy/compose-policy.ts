import { isInside } from './clone-paths';

/** A compose file as `docker compose config` renders it: interpolated, merged, paths made absolute. */
export interface RenderedCompose {
  services?: Record<string, Record<string, unknown>>;
  volumes?: Record<string, Record<string, unknown> | null>;
  networks?: Record<string, Record<string, unknown> | null>;
  secrets?: Record<string, Record<string, unknown> | null>;
  configs?: Record<string, Record<string, unknown> | null>;
  [key: string]: unknown;
}

export interface PolicyLimits {
  /** The real path of the clone: everything a project mounts or builds from must be inside it. */
  clone: string;
  /** Host ports a project may publish, inclusive. */
  ports: { from: number; to: number };
}

export interface Violation {
  /** The service the rule is about, or null for a top-level volume, network, secret or config. */
  service: string | null;
  rule: string;
}

/** Where an absolute path really leads (symlinks resolved); injected so the rules stay testable. */
export type RealTarget = (path: string) => Promise<string>;

/** Docker's default capabilities that give nothing beyond the container: the only ones `cap_add` may name. */
const SAFE_CAPABILITIES = new Set([
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'SETGID',
  'SETUID',
  'SETPCAP',
  'NET_BIND_SERVICE',
  'SYS_CHROOT',
  'AUDIT_WRITE',
  'SETFCAP',
]);

/** Namespaces a service must not share with the host or with containers outside its project. */
const NAMESPACE_KEYS = ['pid', 'ipc', 'uts', 'userns_mode', 'cgroup'];

/** Labels compose and Testausdeploy use to tell projects apart: a project must not forge them. */
const RESERVED_LABELS = ['com.docker.compose.', 'org.testausdeploy.'];

/**
 * Every way the rendered compose file breaks the deploy policy (docs/deploy-policy.md), each naming the service
 * and the rule; empty when it may run. The file comes from a member's repository and runs as root on a shared
 * host: anything that reaches outside the project's own containers, the clone and the allowed ports is refused.
 */
export async function policyViolations(
  compose: RenderedCompose,
  limits: PolicyLimits,
  realTarget: RealTarget,
): Promise<Violation[]> {
  const violations: Violation[] = [];
  for (const [service, spec] of Object.entries(compose.services ?? {})) {
    const refuse = (rule: string) => violations.push({ service, rule });
    await checkService(spec ?? {}, limits, realTarget, refuse);
  }
  await checkTopLevel(compose, limits, realTarget, (rule) => violations.push({ service: null, rule }));
  return violations;
}

async function checkService(
  spec: Record<string, unknown>,
  limits: PolicyLimits,
  realTarget: RealTarget,
  refuse: (rule: string) => void,
): Promise<void> {
  if (spec.privileged === true || spec.privileged === 'true') refuse('privileged mode is not allowed');
  const networkMode = String(spec.network_mode ?? '');
  if (networkMode === 'host' || networkMode.startsWith('container:')) {
    refuse(`network_mode "${networkMode}" is not allowed: use the project's own networks`);
  }
  for (const key of NAMESPACE_KEYS) {
    const mode = spec[key];
    if (mode !== undefined && mode !== 'private' && !String(mode).startsWith('service:')) {
      refuse(`${key} "${String(mode)}" is not allowed: namespaces stay the container's own`);
    }
  }
  if (nonEmpty(spec.devices)) refuse('devices are not allowed');
  if (nonEmpty(spec.device_cgroup_rules)) refuse('device_cgroup_rules are not allowed');
  if (spec.cgroup_parent !== undefined) refuse('cgroup_parent is not allowed');
  if (spec.runtime !== undefined) refuse('runtime is not allowed: containers use the host default');
  if (spec.oom_kill_disable === true) refuse('oom_kill_disable is not allowed');
  if (Number(spec.oom_score_adj ?? 0) < 0) refuse('a negative oom_score_adj is not allowed');
  if (spec.container_name !== undefined) refuse('container_name is not allowed: names are given per project');
  if (nonEmpty(spec.external_links)) refuse('external_links are not allowed: link only to the project');
  for (const cap of list(spec.cap_add)) {
    const name = String(cap).toUpperCase().replace(/^CAP_/, '');
    if (!SAFE_CAPABILITIES.has(name)) refuse(`cap_add ${String(cap)} is not allowed`);
  }
  for (const option of list(spec.security_opt)) {
    const text = String(option).toLowerCase();
    if (/unconfined|disable|no-new-privileges[:=]false/.test(text)) {
      refuse(`security_opt "${String(option)}" disables confinement`);
    }
  }
  for (const name of keysOf(spec.sysctls)) {
    if (!name.startsWith('net.')) refuse(`sysctl ${name} is not allowed: only net.* ones`);
  }
  for (const label of keysOf(spec.labels)) {
    if (RESERVED_LABELS.some((prefix) => label.startsWith(prefix))) refuse(`label ${label} is reserved`);
  }
  for (const from of list(spec.volumes_from)) {
    if (String(from).startsWith('container:'))
      refuse(`volumes_from ${String(from)} reaches outside the project`);
  }
  for (const volume of list(spec.volumes)) await checkMount(volume, limits, realTarget, refuse);
  await checkBuild(spec.build, limits, realTarget, refuse);
  for (const port of list(spec.ports)) checkPort(port, limits, refuse);
}

async function checkMount(
  volume: unknown,
  limits: PolicyLimits,
  realTarget: RealTarget,
  refuse: (rule: string) => void,
): Promise<void> {
  const { type, source } = mountSource(volume);
  if (type !== 'bind' || source === undefined) return;
  if (/docker\.sock|containerd\.sock|lxd\/unix\.socket/.test(source)) {
    refuse(`mounting the container engine's socket (${source}) is not allowed`);
    return;
  }
  if (!isInside(limits.clone, await realTarget(source))) {
    refuse(
      `bind mount of ${source} is outside the repository: use a named volume or a path in the repository`,
    );
  }
}

/** The kind and host side of a volume entry, in either syntax. */
function mountSource(volume: unknown): { type: string; source?: string } {
  if (typeof volume === 'object' && volume !== null) {
    const { type, source } = volume as { type?: string; source?: string };
    return { type: type ?? 'volume', source };
  }
  const [source, target] = String(volume).split(':');
  if (target === undefined) return { type: 'volume' }; // an anonymous volume: "/data"
  const isPath = source.startsWith('/') || source.startsWith('.') || source.startsWith('~');
  return { type: isPath ? 'bind' : 'volume', source };
}

async function checkBuild(
  build: unknown,
  limits: PolicyLimits,
  realTarget: RealTarget,
  refuse: (rule: string) => void,
): Promise<void> {
  if (build === undefined) return;
  const spec = typeof build === 'string' ? { context: build } : (build as Record<string, unknown>);
  const context = String(spec.context ?? '.');
  if (/^[a-z]+:\/\/|^git@/i.test(context)) {
    refuse(`build context ${context} is remote: build from the repository`);
  } else if (!isInside(limits.clone, await realTarget(context))) {
    refuse(`build context ${context} is outside the repository`);
  }
  const dockerfile = spec.dockerfile;
  if (typeof dockerfile === 'string' && dockerfile.startsWith('/')) {
    if (!isInside(limits.clone, await realTarget(dockerfile)))
      refuse(`dockerfile ${dockerfile} is outside the repository`);
  }
  if (spec.network === 'host') refuse('build network "host" is not allowed');
  if (nonEmpty(spec.additional_contexts)) refuse('build additional_contexts are not allowed');
  for (const entitlement of list(spec.entitlements))
    refuse(`build entitlement ${String(entitlement)} is not allowed`);
}

function checkPort(port: unknown, limits: PolicyLimits, refuse: (rule: string) => void): void {
  const published = publishedPorts(port);
  if (published === null) {
    refuse(`port "${JSON.stringify(port)}" cannot be read`);
    return;
  }
  for (const number of published) {
    if (number < limits.ports.from || number > limits.ports.to) {
      refuse(`published port ${number} is outside the allowed range ${limits.ports.from}-${limits.ports.to}`);
    }
  }
}

/** The host ports a port entry publishes (none for a container-only port), or null if unreadable. */
function publishedPorts(port: unknown): number[] | null {
  if (typeof port === 'number') return [];
  if (typeof port === 'object' && port !== null) {
    const published = (port as { published?: unknown }).published;
    return published === undefined || published === '' ? [] : range(String(published));
  }
  // [ip:]published:target[/protocol], the ip possibly an [IPv6] in brackets.
  const text = String(port).replace(/\/(tcp|udp|sctp)$/, '');
  const parts = text.replace(/^\[[^\]]*\]:/, 'ip:').split(':');
  if (parts.length === 1) return [];
  return range(parts[parts.length - 2]);
}

function range(text: string): number[] | null {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!match) return null;
  const from = Number(match[1]);
  const to = Number(match[2] ?? match[1]);
  if (to < from || to - from > 1000) return null;
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}

async function checkTopLevel(
  compose: RenderedCompose,
  limits: PolicyLimits,
  realTarget: RealTarget,
  refuse: (rule: string) => void,
): Promise<void> {
  for (const [name, volume] of Object.entries(compose.volumes ?? {})) {
    if (!volume) continue;
    if (volume.external) refuse(`volume ${name} is external: a project uses only its own volumes`);
    const options = (volume.driver_opts ?? {}) as Record<string, unknown>;
    if (volume.driver !== undefined && volume.driver !== 'local') {
      refuse(`volume ${name} uses driver ${String(volume.driver)}: only local volumes`);
    }
    if (options.device !== undefined || /bind/.test(String(options.o ?? ''))) {
      refuse(`volume ${name} maps a host device or path (driver_opts): use a plain named volume`);
    }
  }
  for (const [name, network] of Object.entries(compose.networks ?? {})) {
    if (!network) continue;
    if (network.external) refuse(`network ${name} is external: a project uses only its own networks`);
    const driver = network.driver;
    if (driver !== undefined && driver !== 'bridge' && driver !== 'overlay') {
      refuse(`network ${name} uses driver ${String(driver)}: only bridge networks`);
    }
  }
  for (const kind of ['secrets', 'configs'] as const) {
    for (const [name, entry] of Object.entries(compose[kind] ?? {})) {
      const file = entry?.file;
      if (typeof file === 'string' && !isInside(limits.clone, await realTarget(file))) {
        refuse(`${kind.slice(0, -1)} ${name} reads ${file}, outside the repository`);
      }
      if (entry?.external) refuse(`${kind.slice(0, -1)} ${name} is external`);
      if (entry?.environment !== undefined)
        refuse(`${kind.slice(0, -1)} ${name} reads the Worker's environment`);
    }
  }
}

function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function nonEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** Names of a map, or of a `key=value` list (sysctls, labels). */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((entry) => String(entry).split('=')[0]);
  if (typeof value === 'object' && value !== null) return Object.keys(value);
  return [];
}
