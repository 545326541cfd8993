import {
  At,
  bool,
  Finding,
  either,
  int,
  isMapping,
  list,
  mapping,
  matching,
  object,
  only,
  orNull,
  Rule,
  Shape,
  short,
  text,
  word,
} from './shapes';
import { bytes, cpus, duration, sizeText } from './units';

/**
 * The deploy policy's allow-list: every key a rendered compose project (`docker compose config` of compose v2 or
 * docker-compose 1.29) may hold, with the values it may have. docs/deploy-policy.md gives the reason for each.
 * What is not here is refused with its path; file system paths (bind mounts, build contexts, secret files) are
 * judged afterwards against the checkout (mounts.ts).
 */

/** The most a project may ask for, per service (and per replica). */
export interface LimitCaps {
  memoryBytes: number;
  cpus: number;
  pids: number;
  replicas: number;
}

/** What the rules consult: the project's name and what it declares, the allowed ports, the caps. */
export interface PolicyContext {
  project: string;
  ports: { from: number; to: number };
  caps: LimitCaps;
  services: ReadonlySet<string>;
  volumes: ReadonlySet<string>;
  networks: ReadonlySet<string>;
  secrets: ReadonlySet<string>;
  configs: ReadonlySet<string>;
}

type S = Shape<PolicyContext>;
type R<T> = Rule<PolicyContext, T>;

/** Docker's default capabilities that give nothing beyond the container: the only ones `cap_add` may name. */
export const SAFE_CAPABILITIES = [
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
];

/** The label a project puts on a named volume that two versions must not use at once (handover/beside-check.ts). */
export const EXCLUSIVE_LABEL = 'org.testausdeploy.exclusive';

/** Labels compose and Testausdeploy use to tell projects apart: a project must not forge them. */
const RESERVED_LABELS = ['com.docker.compose.', 'org.testausdeploy.'];

const MAX_TEXT = 64 * 1024;
const anyText = text<PolicyContext>(short(MAX_TEXT));
const anyWord = word<PolicyContext>(short(MAX_TEXT));
const name = text<PolicyContext>(short(255));
const flag = bool<PolicyContext>();
const strings = either(anyText, list(anyText));
const commandLine = orNull(either(anyText, list(anyText)));

const duration_: S = word((value, at) => {
  if (duration(value) === null) at.refuse(`"${value}" is not a duration (like 10s or 1m30s)`);
});
/** How often a healthcheck runs: dockerd runs it, outside the container's limits, so not more than once a second. */
const checkInterval: S = word((value, at) => {
  const ms = duration(value);
  if (ms === null) at.refuse(`"${value}" is not a duration (like 10s or 1m30s)`);
  else if (ms < 1000) at.refuse(`${value} is too often: at least 1s (dockerd runs each check)`);
});

/** A size no larger than the memory cap: `what` names the limit in the message. */
function size(max: (context: PolicyContext) => number, what: string, limit = false): S {
  return word((value, at) => {
    const amount = bytes(value);
    if (amount === null) return at.refuse(`"${value}" is not a size (like 512m or 1g)`);
    if (limit && amount === 0) return at.refuse('0 is not allowed: to Docker it means no limit at all');
    const cap = max(at.context);
    // v2 renders sizes in bytes: the message says them as they were most likely written.
    if (amount > cap) at.refuse(`${sizeText(amount)} is above the maximum ${what} of ${sizeText(cap)}`);
  });
}
const memory = size(({ caps }) => caps.memoryBytes, 'memory (MAX_MEMORY)');
/** A memory limit: also not 0, which Docker takes for none. */
const memoryLimit = size(({ caps }) => caps.memoryBytes, 'memory (MAX_MEMORY)', true);

const cpuCount: S = word((value, at) => {
  const amount = cpus(value);
  if (amount === null) return at.refuse(`"${value}" is not a number of CPUs`);
  if (amount === 0) return at.refuse('0 is not allowed: to Docker it means no limit at all');
  if (amount > at.context.caps.cpus)
    at.refuse(`${value} CPUs is above the maximum of ${at.context.caps.cpus} (MAX_CPUS)`);
});

const pids: S = {
  expected: 'a whole number',
  accepts: (value) => typeof value === 'number' || typeof value === 'string',
  check(value, at) {
    const number = Number(value);
    if (!Number.isInteger(number)) return at.refuse('must be a whole number');
    if (number <= 0) return at.refuse(`${number} is not allowed: a process limit is a positive number`);
    if (number > at.context.caps.pids)
      at.refuse(`${number} is above the maximum of ${at.context.caps.pids} (MAX_PIDS)`);
  },
};

const replicas: S = int(0, 1000, (value, at) => {
  if (value > at.context.caps.replicas) {
    at.refuse(`${value} replicas is above the maximum of ${at.context.caps.replicas} (MAX_REPLICAS)`);
  }
});

const labelKey: R<string> = (key, at) => {
  if (RESERVED_LABELS.some((prefix) => key.startsWith(prefix))) at.refuse(`label ${key} is reserved`);
};
function labelsWith(key: R<string>): S {
  return either(mapping(orNull(anyWord), key), list(text((entry, at) => key(entry.split('=')[0], at))));
}
const labels = labelsWith(labelKey);
/** A volume may also say whether two versions may write it at once (handover/beside-check.ts). */
const volumeLabels = labelsWith((key, at) => {
  if (key !== EXCLUSIVE_LABEL) labelKey(key, at);
});

/** The exclusive label's value, "true" or "false": anything else would be read as neither. */
const exclusiveValue: R<Record<string, unknown>> = (volume, at) => {
  const labels = volume.labels;
  const values = isMapping(labels)
    ? EXCLUSIVE_LABEL in labels
      ? [labels[EXCLUSIVE_LABEL]]
      : []
    : Array.isArray(labels)
      ? labels.flatMap((entry) => {
          const [key, ...value] = String(entry).split('=');
          return key === EXCLUSIVE_LABEL ? [value.join('=')] : [];
        })
      : [];
  for (const value of values) {
    if (value !== 'true' && value !== 'false')
      at.key('labels').refuse(`${EXCLUSIVE_LABEL} is "true" or "false", not ${JSON.stringify(value)}`);
  }
};

/** A name one of the project's own services has. */
function ownService(what: string): R<string> {
  return (value, at) => {
    if (!at.context.services.has(value)) at.refuse(`${what} "${value}" is not a service of this project`);
  };
}
/** A name the project declares at the top level under `kind`. */
function declared(kind: 'volumes' | 'networks' | 'secrets' | 'configs'): R<string> {
  return (value, at) => {
    if (value !== 'default' || kind !== 'networks') {
      if (!at.context[kind].has(value))
        at.refuse(`${kind.slice(0, -1)} "${value}" is not declared in this project`);
    }
  };
}
/** `service:<name>` of the project's own, the only way a namespace may be shared. */
function serviceNamespace(what: string, also: readonly string[], why: string): S {
  return text((value, at) => {
    if (also.includes(value)) return;
    const match = /^service:(.+)$/.exec(value);
    if (match) return ownService(what)(match[1], at);
    at.refuse(`"${value}" is not allowed: ${why}`);
  });
}

// --- ports ----------------------------------------------------------------------------------------------------

/** The host ports a port entry publishes, or a reason it cannot be judged. */
export function publishedOf(value: unknown): number[] | string {
  if (typeof value === 'number') return 'publishes on a random host port';
  if (isMapping(value)) {
    const published = value.published;
    if (published === undefined || published === null || published === '')
      return 'publishes on a random host port';
    return range(String(published));
  }
  if (typeof value !== 'string') return 'cannot be read';
  // [ip:][published:]target[/protocol], the ip possibly an [IPv6] in brackets.
  const bare = value.replace(/\/(tcp|udp|sctp)$/, '').replace(/^\[[^\]]*\]:/, 'ip:');
  const parts = bare.split(':');
  if (parts.length === 1) return 'publishes on a random host port';
  if (parts[parts.length - 2] === '') return 'publishes on a random host port';
  return range(parts[parts.length - 2]);
}

/** The most host ports one port entry may publish: the range is shared by every project. */
const MAX_PORT_RANGE = 100;

function range(value: string): number[] | string {
  const match = /^(\d+)(?:-(\d+))?$/.exec(value);
  if (!match) return 'cannot be read';
  const [from, to] = [Number(match[1]), Number(match[2] ?? match[1])];
  if (to < from) return 'cannot be read';
  if (to - from >= MAX_PORT_RANGE)
    return `publishes ${to - from + 1} ports: at most ${MAX_PORT_RANGE} in one entry`;
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}

const portRule: R<unknown> = (value, at) => {
  const published = publishedOf(value);
  const { from, to } = at.context.ports;
  if (typeof published === 'string') {
    return at.refuse(
      `${JSON.stringify(value)} ${published}: publish it on a port in ${from}-${to}, or use expose`,
    );
  }
  for (const port of published) {
    if (port < from || port > to)
      at.refuse(`published port ${port} is outside the allowed range ${from}-${to}`);
  }
};
const portText = text<PolicyContext>(
  matching(/^(\[[0-9a-fA-F:.]+\]:|[0-9.]+:)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/, 'a port mapping'),
  portRule,
);
const portObject = object<PolicyContext>(
  {
    target: int(1, 65535),
    published: word(matching(/^\d+(-\d+)?$/, 'a port or range')),
    host_ip: text(matching(/^[0-9a-fA-F:.]+$/, 'an IP address')),
    protocol: only(['tcp', 'udp', 'sctp'], 'tcp, udp or sctp'),
    mode: only(['ingress', 'host'], 'a port is published by this host'),
    name: name,
    app_protocol: name,
  },
  {},
  portRule,
);
const port: S = either(portText, portObject, {
  expected: 'a port number',
  accepts: (value) => typeof value === 'number',
  check: (value, at) => portRule(value, at),
});

// --- volumes --------------------------------------------------------------------------------------------------

/**
 * A service's mount, in compose's short (`src:target[:mode]`) or long syntax. Whether a bind mount's source may be
 * used is judged on the file system afterwards (mounts.ts); here only its shape, and what a mount may not do.
 */
const mountText = text<PolicyContext>(short(4096), (value, at) => {
  const parts = value.split(':');
  if (parts.length > 3) return at.refuse(`"${value}" is not a mount (source:target[:mode])`);
  const mode = parts.length === 3 ? parts[2] : '';
  for (const option of mode.split(',').filter(Boolean)) {
    if (!['ro', 'rw', 'nocopy'].includes(option)) at.refuse(`mount option "${option}" is not allowed`);
  }
  if (parts.length >= 2 && !/^[./~]/.test(parts[0])) declared('volumes')(parts[0], at);
});
const mountObject = object<PolicyContext>(
  {
    type: only(['bind', 'volume', 'tmpfs'], 'bind mounts, volumes and tmpfs only'),
    source: text(short(4096)),
    target: text(short(4096)),
    read_only: flag,
    consistency: text(),
    bind: object(
      { create_host_path: flag },
      {
        propagation:
          'bind propagation is not allowed: it can carry mounts between the container and the host',
        selinux: 'relabelling a host path is not allowed',
      },
    ),
    volume: object({ nocopy: flag }, { subpath: 'volume subpaths are not allowed' }),
    tmpfs: object({ size: memory, mode: int(0, 0o7777) }),
  },
  {},
  (value, at) => {
    if ((value.type ?? 'volume') === 'volume' && typeof value.source === 'string') {
      declared('volumes')(value.source, at.key('source'));
    }
  },
);
const mount: S = either(mountText, mountObject);

// --- build ----------------------------------------------------------------------------------------------------

const buildObject = object<PolicyContext>(
  {
    context: text(short(4096)),
    dockerfile: text(short(4096)),
    args: either(mapping(orNull(anyWord)), list(anyText)),
    target: name,
    labels,
    shm_size: memory,
    network: only(['default', 'none'], 'a build uses the default network or none'),
    extra_hosts: either(list(anyText), mapping(either(anyText, list(anyText)))),
    pull: flag,
    no_cache: flag,
  },
  {
    ssh: "build ssh is not allowed: it hands the build the Worker's SSH agent or keys",
    secrets: 'build secrets are not allowed: they hand the build files or variables of the Worker',
    cache_from: 'build cache_from is not allowed: it reads other images and registries into the build',
    cache_to: 'build cache_to is not allowed: it writes the build cache out of the project',
    additional_contexts: 'build additional_contexts are not allowed: a build reads only its context',
    entitlements: 'build entitlements are not allowed',
    privileged: 'a privileged build is not allowed',
    tags: 'build tags are not allowed: a built image is named for its project',
    isolation: 'build isolation is not allowed',
    dockerfile_inline: 'dockerfile_inline is not allowed: put the Dockerfile in the repository',
    platforms: 'build platforms are not allowed: images are built for this host',
  },
);
const build: S = either(text(short(4096)), buildObject);

// --- image ----------------------------------------------------------------------------------------------------

const IMAGE =
  /^(?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[0-9a-f]{64})?$/;

/**
 * The image's repository as dockerd names it locally, without tag or digest, with Docker Hub's host and `library/`
 * taken off (`docker.io/library/td_x:1` is `td_x`).
 */
function repositoryOf(image: string): string {
  const withoutDigest = image.split('@')[0];
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const repository = colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
  return repository
    .replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '')
    .replace(/^library\//, '');
}

/**
 * Why `project` may not run (or build FROM) the image `reference`, or null. Images named `td_…` are projects' own:
 * a project may name only those of its own namespace. An image id (or a prefix of one, which dockerd resolves
 * too) could name any image on the host, another project's among them; so could a variable.
 */
export function imageProblem(reference: string, project: string): string | null {
  const repository = repositoryOf(reference);
  if (repository.includes('$')) return `${reference} is named by a variable: name the image itself`;
  if (/^[0-9a-f]+$/.test(repository) || reference.startsWith('sha256:')) {
    return `${reference} is, or could be, an image id: name an image by its name`;
  }
  if (repository.split('/').some((part) => part.startsWith('td_')) && !inNamespace(repository, project)) {
    return `${reference} belongs to another project: images named td_… are their project's own`;
  }
  return null;
}

const image = text<PolicyContext>(short(512), matching(IMAGE, 'an image name'), (value, at) => {
  const problem = imageProblem(value, at.context.project);
  if (problem) at.refuse(`image ${problem}`);
});

export function inNamespace(repository: string, project: string): boolean {
  return repository === project || repository.startsWith(`${project}_`);
}

/** A service that builds and names its image must name it in its project's namespace (it would retag another). */
const builtImageName: R<Record<string, unknown>> = (service, at) => {
  if (service.build === undefined || typeof service.image !== 'string') return;
  if (!inNamespace(repositoryOf(service.image), at.context.project)) {
    at.key('image').refuse(
      `a built image may not be named ${service.image}: that would retag an image other projects use; leave image out, or name it ${at.context.project}_<name>`,
    );
  }
};

// --- the rest of a service ------------------------------------------------------------------------------------

const condition = only(
  ['service_started', 'service_healthy', 'service_completed_successfully'],
  'a condition compose knows',
);
const dependsOn: S = either(
  list(text(ownService('depends_on'))),
  mapping(object({ condition, restart: flag, required: flag }), ownService('depends_on')),
);

const healthcheck = object<PolicyContext>({
  test: either(anyText, list(anyText)),
  interval: checkInterval,
  timeout: duration_,
  start_period: duration_,
  start_interval: checkInterval,
  retries: int(0, 1000),
  disable: flag,
});

/** Logs take the host's disk: each service keeps at most MAX_LOG_FILES files of at most MAX_LOG_SIZE. */
const MAX_LOG_SIZE = 100 * 1024 ** 2;
const MAX_LOG_FILES = 10;
const logging = object<PolicyContext>({
  driver: only(['json-file', 'local', 'none'], 'logs stay on this host, where the Worker reads them'),
  options: object({
    'max-size': size(() => MAX_LOG_SIZE, 'log file size', true),
    'max-file': int(1, MAX_LOG_FILES),
    compress: either(flag, only(['true', 'false'], 'true or false')),
    mode: only(['blocking', 'non-blocking'], 'blocking or non-blocking'),
    tag: anyText,
    labels: anyText,
    env: anyText,
  }),
});

const serviceNetworks: S = either(
  list(text(declared('networks'))),
  mapping(
    orNull(
      object(
        {
          aliases: list(name),
          ipv4_address: text(matching(/^[0-9.]+$/, 'an IPv4 address')),
          ipv6_address: text(matching(/^[0-9a-fA-F:]+$/, 'an IPv6 address')),
          priority: int(-1000, 1000),
          mac_address: text(),
        },
        { link_local_ips: 'link-local addresses are not allowed' },
      ),
    ),
    declared('networks'),
  ),
);

function fileReference(kind: 'secrets' | 'configs'): S {
  return either(
    text(declared(kind)),
    object(
      {
        source: text(declared(kind)),
        target: text(short(4096)),
        uid: anyWord,
        gid: anyWord,
        mode: int(0, 0o7777),
      },
      {},
    ),
  );
}

const NOFILE_MAX = 1_048_576;
const ulimit = (max: (context: PolicyContext) => number, what: string): S => {
  const bounded = int<PolicyContext>(0, Number.MAX_SAFE_INTEGER, (value, at) => {
    if (value > max(at.context)) at.refuse(`${value} is above the maximum ${what} of ${max(at.context)}`);
  });
  return either(bounded, object({ soft: bounded, hard: bounded }));
};

const resources = object<PolicyContext>({
  limits: object({ cpus: cpuCount, memory: memoryLimit, pids }),
  reservations: object(
    { cpus: cpuCount, memory },
    {
      devices: 'device reservations are not allowed',
      generic_resources: 'generic resources are not allowed',
    },
  ),
});

const deploy = object<PolicyContext>(
  {
    resources,
    restart_policy: object({
      condition: only(['none', 'on-failure', 'any'], 'a restart condition compose knows'),
      delay: duration_,
      max_attempts: int(0, 1000),
      window: duration_,
    }),
    replicas,
    labels,
    mode: only(['replicated'], 'only replicated services'),
  },
  {
    placement: 'placement is for swarms: this host runs the project',
    endpoint_mode: 'endpoint_mode is for swarms',
    update_config: 'update_config is for swarms',
    rollback_config: 'rollback_config is for swarms',
  },
);

const SERVICE_REFUSED: Record<string, string> = {
  devices: 'devices are not allowed: they hand the container host hardware',
  device_cgroup_rules: 'device_cgroup_rules are not allowed: they open host devices',
  gpus: 'GPUs are not allowed',
  cgroup_parent: "cgroup_parent is not allowed: it escapes the project's resource accounting",
  runtime: 'runtime is not allowed: containers use the host default',
  container_name: 'container_name is not allowed: names are given per project',
  external_links: 'external_links are not allowed: link only to the project',
  userns_mode: "userns_mode is not allowed: namespaces stay the container's own",
  uts: "uts is not allowed: namespaces stay the container's own",
  isolation: 'isolation is not allowed',
  storage_opt: 'storage_opt is not allowed',
  credential_spec: 'credential_spec is not allowed',
  blkio_config: 'blkio_config is not allowed: it names host block devices',
  cpuset: 'cpuset is not allowed: use cpus',
  cpu_count: 'cpu_count is not allowed: use cpus',
  cpu_percent: 'cpu_percent is not allowed: use cpus',
  cpu_quota: 'cpu_quota is not allowed: use cpus',
  cpu_period: 'cpu_period is not allowed: use cpus',
  cpu_rt_runtime: 'real-time CPU time is not allowed',
  cpu_rt_period: 'real-time CPU time is not allowed',
  develop: 'develop (watch) is not allowed: a deployment runs a commit',
  post_start: 'lifecycle hooks are not allowed',
  pre_stop: 'lifecycle hooks are not allowed',
  use_api_socket: 'use_api_socket is not allowed: it hands the container the Docker socket',
  annotations: 'annotations are not allowed: they speak to the container runtime',
  env_file: 'env_file must be read while rendering: a rendered project that still names one is refused',
  extends: 'extends must be resolved while rendering: a rendered project that still names one is refused',
  models: 'models are not allowed',
  provider: 'providers are not allowed',
  label_file: 'label_file must be read while rendering',
};

const SECURITY_OPTIONS = ['no-new-privileges', 'no-new-privileges:true', 'no-new-privileges=true'];

export const service = object<PolicyContext>(
  {
    build,
    image,
    cap_add: list(
      text((value, at) => {
        if (!SAFE_CAPABILITIES.includes(value.toUpperCase().replace(/^CAP_/, ''))) {
          at.refuse(`capability ${value} is not allowed: only ${SAFE_CAPABILITIES.join(', ')}`);
        }
      }),
    ),
    cap_drop: list(text(matching(/^(CAP_)?[A-Z_]+$|^ALL$/i, 'a capability'))),
    cgroup: only(['private'], "namespaces stay the container's own"),
    command: commandLine,
    entrypoint: commandLine,
    configs: list(fileReference('configs')),
    secrets: list(fileReference('secrets')),
    // More than the default weight would take CPU time from every other project when the host is busy.
    cpu_shares: int(2, 1024),
    cpus: cpuCount,
    mem_limit: memoryLimit,
    mem_reservation: memory,
    memswap_limit: size(({ caps }) => 2 * caps.memoryBytes, 'memory and swap (twice MAX_MEMORY)'),
    mem_swappiness: int(0, 100),
    pids_limit: pids,
    shm_size: memory,
    oom_kill_disable: only(
      [false],
      'the kernel must be able to stop a container that runs the host out of memory',
    ),
    oom_score_adj: int(0, 1000),
    depends_on: dependsOn,
    deploy,
    scale: replicas,
    dns: strings,
    dns_opt: list(anyText),
    dns_search: strings,
    domainname: name,
    hostname: name,
    environment: either(mapping(orNull(either(anyWord, flag))), list(anyText)),
    expose: list(word(matching(/^\d+(-\d+)?(\/(tcp|udp|sctp))?$/, 'a port'))),
    extra_hosts: either(list(anyText), mapping(either(anyText, list(anyText)))),
    group_add: list(anyWord),
    healthcheck,
    init: flag,
    ipc: serviceNamespace(
      'ipc',
      ['private', 'shareable', 'none'],
      "the IPC namespace stays the project's own",
    ),
    pid: serviceNamespace('pid', [], "the process namespace stays the container's own"),
    network_mode: serviceNamespace(
      'network_mode',
      ['none'],
      "use the project's own networks (host, bridge and container: reach the host's or other projects')",
    ),
    networks: serviceNetworks,
    labels,
    links: list(text((value, at) => ownService('link')(value.split(':')[0], at))),
    logging,
    platform: text(matching(/^linux\/[a-z0-9]+(\/[a-z0-9]+)?$/, 'a linux platform')),
    ports: list(port),
    privileged: only([false], 'privileged mode gives the container the whole host'),
    profiles: list(name),
    pull_policy: only(
      ['always', 'never', 'missing', 'if_not_present', 'build', 'daily', 'weekly'],
      'a pull policy compose knows',
    ),
    read_only: flag,
    restart: text(matching(/^(no|always|unless-stopped|on-failure(:\d+)?)$/, 'a restart policy')),
    security_opt: list(
      text((value, at) => {
        if (!SECURITY_OPTIONS.includes(value)) {
          at.refuse(
            `security_opt "${value}" is not allowed: only no-new-privileges (confinement stays as the host sets it)`,
          );
        }
      }),
    ),
    stdin_open: flag,
    tty: flag,
    stop_grace_period: duration_,
    stop_signal: name,
    sysctls: either(
      mapping(anyWord, (key, at) => {
        if (!key.startsWith('net.')) at.refuse(`sysctl ${key} is not allowed: only net.* ones`);
      }),
      list(
        text((value, at) => {
          if (!value.startsWith('net.')) at.refuse(`sysctl ${value} is not allowed: only net.* ones`);
        }),
      ),
    ),
    tmpfs: strings,
    ulimits: object({
      nofile: ulimit(() => NOFILE_MAX, 'number of open files'),
      nproc: ulimit(({ caps }) => caps.pids, 'number of processes (MAX_PIDS)'),
      core: ulimit(() => 0, 'core dump size'),
    }),
    user: anyWord,
    volumes: list(mount),
    volumes_from: list(
      text((value, at) => {
        if (value.startsWith('container:')) return at.refuse(`${value} reaches outside the project`);
        ownService('volumes_from')(value.split(':')[0], at);
      }),
    ),
    working_dir: text(short(4096)),
    mac_address: text(matching(/^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/, 'a MAC address')),
    attach: flag,
  },
  SERVICE_REFUSED,
  builtImageName,
);

// --- the top level --------------------------------------------------------------------------------------------

/**
 * A volume's, network's, secret's or config's `name:` may only say what compose calls it anyway,
 * `<project>_<key>` (compose v2 renders it so): any other name reaches outside the project.
 */
const ownNames: R<Record<string, unknown>> = (rendered, at) => {
  for (const kind of ['volumes', 'networks', 'secrets', 'configs']) {
    for (const [key, entry] of Object.entries(isMapping(rendered[kind]) ? rendered[kind] : {})) {
      if (!isMapping(entry) || entry.name === undefined) continue;
      const wanted = `${at.context.project}_${key}`;
      if (entry.name !== wanted) {
        at.key(kind)
          .key(key)
          .key('name')
          .refuse(
            `names are given per project: ${JSON.stringify(entry.name)} is not allowed (it is ${wanted})`,
          );
      }
    }
  }
};

const EXTERNAL = (kind: string) => `an external ${kind} is not allowed: a project uses only its own ${kind}s`;

const volume = orNull(
  object<PolicyContext>(
    {
      driver: only(['local'], 'only local volumes'),
      labels: volumeLabels,
      name,
      external: only([false], EXTERNAL('volume')),
    },
    {
      driver_opts:
        'volume driver_opts are not allowed: they turn a volume into a bind mount of a host path or device',
    },
    exclusiveValue,
  ),
);

const network = orNull(
  object<PolicyContext>(
    {
      driver: only(['bridge'], 'only bridge networks on this host'),
      internal: flag,
      enable_ipv6: flag,
      labels,
      name,
      external: only([false], EXTERNAL('network')),
    },
    {
      driver_opts: "network driver_opts are not allowed: they reach the host's bridges and interfaces",
      ipam: "ipam is not allowed: Docker picks the addresses, so none collides with the host's networks",
      attachable: 'attachable is for swarms',
    },
  ),
);

function fileEntry(kind: string): S {
  return object<PolicyContext>(
    { file: text(short(4096)), name, external: only([false], EXTERNAL(kind)) },
    {
      environment: `a ${kind} from the environment is not allowed: it would read the Worker's own`,
      content: `an inline ${kind} is not allowed: put it in a file in the repository`,
      driver: `${kind} drivers are not allowed`,
      template_driver: `${kind} template drivers are not allowed`,
    },
    (value, at) => {
      if (value.file === undefined && value.external !== true)
        at.refuse(`a ${kind} needs a file in the repository`);
    },
  );
}

export const project = object<PolicyContext>(
  {
    name: text((value, at) => {
      if (value !== at.context.project) at.refuse(`the project is named ${at.context.project}, not ${value}`);
    }),
    version: word(),
    services: mapping(service, matching(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'a service name'), 100),
    volumes: mapping(volume, undefined, 100),
    networks: mapping(network, undefined, 20),
    secrets: mapping(fileEntry('secret'), undefined, 100),
    configs: mapping(fileEntry('config'), undefined, 100),
  },
  {
    include: 'include must be resolved while rendering',
    models: 'models are not allowed',
  },
  ownNames,
);

/** Checks a rendered project against the allow-list; each finding names a path and a rule. */
export function allowListFindings(
  rendered: Record<string, unknown>,
  context: Pick<PolicyContext, 'project' | 'ports' | 'caps'>,
): Finding[] {
  const keys = (value: unknown) => new Set(isMapping(value) ? Object.keys(value) : []);
  const full: PolicyContext = {
    ...context,
    services: keys(rendered.services),
    volumes: keys(rendered.volumes),
    networks: keys(rendered.networks),
    secrets: keys(rendered.secrets),
    configs: keys(rendered.configs),
  };
  const findings: Finding[] = [];
  project.check(rendered, new At('', full, findings));
  return findings;
}
