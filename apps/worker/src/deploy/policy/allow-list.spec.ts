import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allowListFindings, project, PolicyContext } from './allow-list';
import { Shape } from './shapes';

const PROJECT = 'td_acme_site';
const context = {
  project: PROJECT,
  ports: { from: 8000, to: 8999 },
  caps: { memoryBytes: 2 * 1024 ** 3, cpus: 2, pids: 4096, replicas: 4 },
};
const findings = (rendered: Record<string, unknown>) => allowListFindings(rendered, context);
const rules = (rendered: Record<string, unknown>) =>
  findings(rendered).map(({ path, rule }) => `${path}: ${rule}`);
const of = (service: Record<string, unknown>) => rules({ services: { x: service } });

/** Every key the allow-list has, as a template: `services.*.ports[].published` (`*` a name, `[]` a list entry). */
function templates(): string[] {
  const found: string[] = [];
  const visit = (shape: Shape<PolicyContext>, at: string) => {
    for (const [key, child] of Object.entries(shape.keys?.allowed ?? {})) {
      const next = at ? `${at}.${key}` : key;
      found.push(next);
      visit(child, next);
    }
    for (const { step, shape: child } of shape.inner ?? []) {
      visit(child, step === '[]' ? `${at}[]` : step === '*' ? `${at}.*` : at);
    }
  };
  visit(project, '');
  return [...new Set(found)];
}

/** A document with `value` at `template`, every `*` named x and every `[]` a one-entry list. */
function documentAt(template: string, value: unknown): { document: Record<string, unknown>; path: string } {
  const steps = template.split('.');
  let inner: unknown = value;
  for (const step of [...steps].reverse()) {
    const list = step.endsWith('[]');
    const key = step.replace(/\[\]$/, '');
    const wrapped = list ? [inner] : inner;
    inner = { [key === '*' ? 'x' : key]: wrapped };
  }
  return {
    document: inner as Record<string, unknown>,
    path: template.replace(/\*/g, 'x').replace(/\[\]/g, '[0]'),
  };
}

const NOT_A_STRING = { a: 1 };
/**
 * For each key of the allow-list, a value it must refuse. A key added to the allow-list without one here fails
 * the test below: every allowed key has at least one refusal that is tested.
 */
const REFUSED: Record<string, unknown> = {
  name: 'td_other_project',
  version: NOT_A_STRING,
  services: ['x'],
  'services.*.build': 42,
  'services.*.build.context': 42,
  'services.*.build.dockerfile': NOT_A_STRING,
  'services.*.build.args': 'A=1',
  'services.*.build.target': NOT_A_STRING,
  'services.*.build.labels': { 'com.docker.compose.project': 'td_other_project' },
  'services.*.build.shm_size': '64g',
  'services.*.build.network': 'host',
  'services.*.build.extra_hosts': 'a:1.2.3.4',
  'services.*.build.pull': 'yes',
  'services.*.build.no_cache': 1,
  'services.*.image': 'postgres:16 && true',
  'services.*.cap_add': ['SYS_ADMIN'],
  'services.*.cap_drop': ['not a capability'],
  'services.*.cgroup': 'host',
  'services.*.command': NOT_A_STRING,
  'services.*.entrypoint': 42,
  'services.*.configs': 'c',
  'services.*.configs[].source': 'undeclared',
  'services.*.configs[].target': 42,
  'services.*.configs[].uid': NOT_A_STRING,
  'services.*.configs[].gid': NOT_A_STRING,
  'services.*.configs[].mode': 0o17777,
  'services.*.secrets': 's',
  'services.*.secrets[].source': 'undeclared',
  'services.*.secrets[].target': 42,
  'services.*.secrets[].uid': NOT_A_STRING,
  'services.*.secrets[].gid': NOT_A_STRING,
  'services.*.secrets[].mode': -1,
  'services.*.cpu_shares': 1_000_000,
  'services.*.cpus': 64,
  'services.*.mem_limit': '1000g',
  'services.*.mem_reservation': '3g',
  'services.*.memswap_limit': -1,
  'services.*.mem_swappiness': 200,
  'services.*.pids_limit': -1,
  'services.*.shm_size': '100g',
  'services.*.oom_kill_disable': true,
  'services.*.oom_score_adj': -1000,
  'services.*.depends_on': 'db',
  'services.*.depends_on.*.condition': 'service_exploded',
  'services.*.depends_on.*.restart': 'maybe',
  'services.*.depends_on.*.required': 'maybe',
  'services.*.deploy': 'replicated',
  'services.*.deploy.resources': [],
  'services.*.deploy.resources.limits': 'all',
  'services.*.deploy.resources.limits.cpus': '64',
  'services.*.deploy.resources.limits.memory': '1000g',
  'services.*.deploy.resources.limits.pids': -1,
  'services.*.deploy.resources.reservations': 'all',
  'services.*.deploy.resources.reservations.cpus': 99,
  'services.*.deploy.resources.reservations.memory': '99g',
  'services.*.deploy.restart_policy': 'always',
  'services.*.deploy.restart_policy.condition': 'sometimes',
  'services.*.deploy.restart_policy.delay': 'soon',
  'services.*.deploy.restart_policy.max_attempts': -5,
  'services.*.deploy.restart_policy.window': 'a while',
  'services.*.deploy.replicas': 1000,
  'services.*.deploy.labels': { 'org.testausdeploy.owner': 'me' },
  'services.*.deploy.mode': 'global',
  'services.*.scale': 50,
  'services.*.dns': NOT_A_STRING,
  'services.*.dns_opt': 'ndots:1',
  'services.*.dns_search': 42,
  'services.*.domainname': 'x'.repeat(300),
  'services.*.hostname': NOT_A_STRING,
  'services.*.environment': 'A=1',
  'services.*.expose': ['not-a-port'],
  'services.*.extra_hosts': 'a:1.2.3.4',
  'services.*.group_add': NOT_A_STRING,
  'services.*.healthcheck': 'curl localhost',
  'services.*.healthcheck.test': NOT_A_STRING,
  'services.*.healthcheck.interval': 'often',
  'services.*.healthcheck.timeout': 'long',
  'services.*.healthcheck.start_period': 'later',
  'services.*.healthcheck.start_interval': 'soon',
  'services.*.healthcheck.retries': -1,
  'services.*.healthcheck.disable': 'no',
  'services.*.init': 'yes',
  'services.*.ipc': 'host',
  'services.*.pid': 'host',
  'services.*.network_mode': 'host',
  'services.*.networks': 'front',
  'services.*.networks.*.aliases': 'db',
  'services.*.networks.*.ipv4_address': 'the first one',
  'services.*.networks.*.ipv6_address': 'the first one',
  'services.*.networks.*.priority': 'high',
  'services.*.networks.*.mac_address': 42,
  'services.*.labels': { 'com.docker.compose.service': 'other' },
  'services.*.links': ['db:alias'],
  'services.*.logging': 'json-file',
  'services.*.logging.driver': 'syslog',
  'services.*.logging.options': { 'syslog-address': 'udp://203.0.113.1:514' },
  'services.*.logging.options.max-size': '10g',
  'services.*.logging.options.max-file': 1000,
  'services.*.logging.options.compress': 'maybe',
  'services.*.logging.options.mode': 'whenever',
  'services.*.logging.options.tag': NOT_A_STRING,
  'services.*.logging.options.labels': 42,
  'services.*.logging.options.env': NOT_A_STRING,
  'services.*.platform': 'windows/amd64',
  'services.*.ports': '8080:80',
  'services.*.ports[].target': 70_000,
  'services.*.ports[].published': 'eighty',
  'services.*.ports[].host_ip': 'everywhere',
  'services.*.ports[].protocol': 'icmp',
  'services.*.ports[].mode': 'swarm',
  'services.*.ports[].name': NOT_A_STRING,
  'services.*.ports[].app_protocol': 42,
  'services.*.privileged': true,
  'services.*.profiles': 'debug',
  'services.*.pull_policy': 'sometimes',
  'services.*.read_only': 'yes',
  'services.*.restart': 'whenever',
  'services.*.security_opt': ['seccomp=/etc/testausdeploy/profile.json'],
  'services.*.stdin_open': 'yes',
  'services.*.tty': 'yes',
  'services.*.stop_grace_period': 'a bit',
  'services.*.stop_signal': 9,
  'services.*.sysctls': { 'kernel.panic': '1' },
  'services.*.tmpfs': 42,
  'services.*.ulimits': 'unlimited',
  'services.*.ulimits.nofile': 10_000_000,
  'services.*.ulimits.nofile.soft': 10_000_000,
  'services.*.ulimits.nofile.hard': -1,
  'services.*.ulimits.nproc': 100_000,
  'services.*.ulimits.nproc.soft': 100_000,
  'services.*.ulimits.nproc.hard': 100_000,
  'services.*.ulimits.core': 1,
  'services.*.ulimits.core.soft': 1,
  'services.*.ulimits.core.hard': 1024,
  'services.*.user': NOT_A_STRING,
  'services.*.volumes': '/data',
  'services.*.volumes[].type': 'npipe',
  'services.*.volumes[].source': 42,
  'services.*.volumes[].target': NOT_A_STRING,
  'services.*.volumes[].read_only': 'yes',
  'services.*.volumes[].consistency': 42,
  'services.*.volumes[].bind': 'rshared',
  'services.*.volumes[].bind.create_host_path': 'yes',
  'services.*.volumes[].volume': 'nocopy',
  'services.*.volumes[].volume.nocopy': 'yes',
  'services.*.volumes[].tmpfs': 'big',
  'services.*.volumes[].tmpfs.size': '64g',
  'services.*.volumes[].tmpfs.mode': 'rwx',
  'services.*.volumes_from': ['container:td_other_project_db_1'],
  'services.*.working_dir': 42,
  'services.*.mac_address': 'aa:bb',
  'services.*.attach': 'yes',
  volumes: ['data'],
  'volumes.*.driver': 'nfs',
  'volumes.*.labels': { 'com.docker.compose.project': 'td_other_project' },
  'volumes.*.name': 'td_other_project_data',
  'volumes.*.external': true,
  networks: ['front'],
  'networks.*.driver': 'macvlan',
  'networks.*.internal': 'yes',
  'networks.*.enable_ipv6': 'yes',
  'networks.*.labels': { 'com.docker.compose.network': 'default' },
  'networks.*.name': 'host',
  'networks.*.external': true,
  secrets: ['s'],
  'secrets.*.file': 42,
  'secrets.*.name': 'td_other_project_s',
  'secrets.*.external': true,
  configs: ['c'],
  'configs.*.file': 42,
  'configs.*.name': 'td_other_project_c',
  'configs.*.external': true,
};

describe('the allow-list', () => {
  it('has, for every key it allows, a value it refuses', () => {
    const missing = templates().filter((template) => !Object.hasOwn(REFUSED, template));
    assert.deepEqual(missing, [], 'keys without a tested refusal');
    const stale = Object.keys(REFUSED).filter((template) => !templates().includes(template));
    assert.deepEqual(stale, [], 'refusals of keys the allow-list no longer has');
  });

  for (const [template, value] of Object.entries(REFUSED)) {
    it(`refuses ${template}: ${JSON.stringify(value)}`, () => {
      const { document, path } = documentAt(template, value);
      const found = findings(document);
      assert.ok(
        found.some(
          (finding) =>
            finding.path === path ||
            finding.path.startsWith(`${path}.`) ||
            finding.path.startsWith(`${path}[`),
        ),
        `nothing refused at ${path}: ${JSON.stringify(found)}`,
      );
    });
  }

  it('refuses keys it does not know, anywhere, with their path: a newer compose key is refused until allowed', () => {
    assert.deepEqual(of({ image: 'busybox', use_api_socket: true, gpus: 'all', brand_new_key: 1 }), [
      'services.x.use_api_socket: use_api_socket is not allowed: it hands the container the Docker socket',
      'services.x.gpus: GPUs are not allowed',
      'services.x.brand_new_key: "brand_new_key" is not on the deploy policy\'s allow-list',
    ]);
    assert.deepEqual(
      rules({ services: {}, volumes: { v: { driver_opts: { type: 'none', o: 'bind', device: '/etc' } } } }),
      [
        'volumes.v.driver_opts: volume driver_opts are not allowed: they turn a volume into a bind mount of a host path or device',
      ],
    );
    assert.deepEqual(rules({ services: {}, models: {} }), ['models: models are not allowed']);
    assert.deepEqual(
      of({ build: { context: '/c', ssh: ['default'], secrets: ['s'], cache_from: ['x'], cache_to: ['y'] } }),
      [
        "services.x.build.ssh: build ssh is not allowed: it hands the build the Worker's SSH agent or keys",
        'services.x.build.secrets: build secrets are not allowed: they hand the build files or variables of the Worker',
        'services.x.build.cache_from: build cache_from is not allowed: it reads other images and registries into the build',
        'services.x.build.cache_to: build cache_to is not allowed: it writes the build cache out of the project',
      ],
    );
  });

  it('admits an ordinary rendered project of either compose version without a finding', () => {
    const v1 = {
      version: '3.9',
      services: {
        web: {
          build: { context: '/srv/checkout/web', dockerfile: 'Dockerfile', args: { A: '1' } },
          ports: ['127.0.0.1:8080:80/tcp', { protocol: 'udp', published: 8081, target: 81 }],
          environment: { A: '1', B: null },
          volumes: ['/srv/checkout/conf:/conf:ro', 'data:/data:rw', '/anonymous'],
          depends_on: { db: { condition: 'service_healthy' } },
          healthcheck: { test: ['CMD', 'true'], interval: '10s', retries: 3 },
          deploy: {
            resources: { limits: { cpus: 0.5, memory: '256M' } },
            restart_policy: { condition: 'on-failure' },
          },
          ulimits: { nofile: { soft: 1024, hard: 2048 }, nproc: 100 },
          security_opt: ['no-new-privileges:true'],
          cap_drop: ['ALL'],
          cap_add: ['NET_BIND_SERVICE'],
          sysctls: { 'net.core.somaxconn': '1024' },
          networks: { front: null, back: null },
          secrets: [{ source: 's' }],
          labels: { a: 'b' },
          logging: { driver: 'json-file', options: { 'max-size': '10m' } },
          profiles: ['web'],
          restart: 'unless-stopped',
        },
        db: {
          image: 'testausdeploy/busybox:latest',
          networks: { back: { aliases: ['database'] } },
          network_mode: undefined,
        },
      },
      volumes: { data: {} },
      networks: { front: {}, back: { internal: true } },
      secrets: { s: { file: '/srv/checkout/s.txt' } },
    };
    assert.deepEqual(rules(JSON.parse(JSON.stringify(v1)) as Record<string, unknown>), []);
    const v2 = {
      name: PROJECT,
      services: {
        web: {
          image: `${PROJECT}_web`,
          build: { context: '/srv/checkout/web', dockerfile: 'Dockerfile' },
          ports: [{ mode: 'ingress', host_ip: '127.0.0.1', target: 80, published: '8080', protocol: 'tcp' }],
          volumes: [
            {
              type: 'bind',
              source: '/srv/checkout/conf',
              target: '/conf',
              read_only: true,
              bind: { create_host_path: true },
            },
            { type: 'volume', source: 'data', target: '/data', volume: {} },
          ],
          deploy: { resources: { limits: { cpus: 0.5, memory: '268435456' } } },
          depends_on: { db: { condition: 'service_started', required: true } },
          extra_hosts: ['a=1.2.3.4'],
          shm_size: '67108864',
          networks: { default: null },
        },
        db: { image: 'testausdeploy/busybox:latest' },
      },
      networks: { default: { name: `${PROJECT}_default` } },
      volumes: { data: { name: `${PROJECT}_data` } },
      'x-extension': { anything: true },
    };
    assert.deepEqual(rules(v2), []);
  });

  it('reads published ports in every syntax and keeps them in the allowed range', () => {
    assert.deepEqual(
      of({ ports: ['8080:80', '127.0.0.1:8081:80/udp', '[::1]:8082:80', '8000-8002:80-82'] }),
      [],
    );
    assert.deepEqual(of({ ports: ['[::1]:22:22'] }), [
      'services.x.ports[0]: published port 22 is outside the allowed range 8000-8999',
    ]);
    assert.deepEqual(of({ ports: [{ target: 80, published: '7999' }] }), [
      'services.x.ports[0]: published port 7999 is outside the allowed range 8000-8999',
    ]);
    // No published port means Docker picks a random one, which no Guardian rule covers.
    for (const port of ['80', 8443, { target: 80 }, '127.0.0.1::80']) {
      assert.match(
        of({ ports: [port] }).join('\n'),
        /publishes on a random host port: publish it on a port in 8000-8999, or use expose/,
      );
    }
    assert.match(of({ ports: ['a:b:c'] }).join(), /is not a port mapping/);
  });

  it('keeps every name a project gives in its own namespace', () => {
    const own = `${PROJECT}_web`;
    assert.deepEqual(of({ build: { context: '/c' }, image: own }), []);
    assert.deepEqual(of({ build: { context: '/c' }, image: `${own}:v2` }), []);
    assert.deepEqual(of({ image: 'postgres:16' }), []);
    assert.match(
      of({ build: { context: '/c' }, image: 'postgres:16' }).join(),
      /a built image may not be named postgres:16: that would retag an image other projects use/,
    );
    assert.match(
      of({ build: { context: '/c' }, image: 'td_acme_site-evil_web' }).join(),
      /a built image may not be named/,
    );
    assert.match(
      of({ image: 'td_other_project_web' }).join(),
      /image td_other_project_web belongs to another project/,
    );
    assert.deepEqual(rules({ services: {}, volumes: { data: { name: 'td_other_project_data' } } }), [
      `volumes.data.name: names are given per project: "td_other_project_data" is not allowed (it is ${PROJECT}_data)`,
    ]);
    assert.match(
      rules({ services: {}, networks: { default: { name: 'testausdeploy_default' } } }).join(),
      /names are given per project/,
    );
    assert.match(of({ network_mode: 'bridge' }).join(), /network_mode.*"bridge" is not allowed/);
    assert.match(of({ network_mode: 'container:td_other_project_db_1' }).join(), /is not allowed/);
    assert.deepEqual(
      rules({
        services: { x: { network_mode: 'service:db', pid: 'service:db', ipc: 'service:db' }, db: {} },
      }),
      [],
    );
    assert.match(
      of({ network_mode: 'service:elsewhere' }).join(),
      /"elsewhere" is not a service of this project/,
    );
  });

  it('caps limits at the configured maxima, in every syntax and unit', () => {
    assert.deepEqual(
      of({
        mem_limit: '2g',
        cpus: 2,
        pids_limit: 4096,
        deploy: { resources: { limits: { memory: '2048M', cpus: '2' } } },
      }),
      [],
    );
    assert.deepEqual(of({ mem_limit: '1000g' }), [
      'services.x.mem_limit: 1000g is above the maximum memory (MAX_MEMORY) of 2g',
    ]);
    assert.deepEqual(of({ mem_limit: '2147483649' }), [
      'services.x.mem_limit: 2147483649 is above the maximum memory (MAX_MEMORY) of 2g',
    ]);
    assert.deepEqual(of({ cpus: 64 }), ['services.x.cpus: 64 CPUs is above the maximum of 2 (MAX_CPUS)']);
    assert.deepEqual(of({ pids_limit: -1 }), [
      'services.x.pids_limit: -1 is not allowed: a process limit is a positive number',
    ]);
    assert.deepEqual(of({ pids_limit: 0 }), [
      'services.x.pids_limit: 0 is not allowed: a process limit is a positive number',
    ]);
    assert.deepEqual(of({ ulimits: { nproc: { soft: 10, hard: 5000 } } }), [
      'services.x.ulimits.nproc.hard: 5000 is above the maximum number of processes (MAX_PIDS) of 4096',
    ]);
    assert.deepEqual(of({ ulimits: { memlock: -1 } }), [
      'services.x.ulimits.memlock: "memlock" is not on the deploy policy\'s allow-list',
    ]);
    assert.deepEqual(of({ scale: 5 }), [
      'services.x.scale: 5 replicas is above the maximum of 4 (MAX_REPLICAS)',
    ]);
  });

  it('refuses limits that Docker would take for none, and the host-wide costs one service could run up', () => {
    assert.deepEqual(of({ mem_limit: 0 }), [
      'services.x.mem_limit: 0 is not allowed: to Docker it means no limit at all',
    ]);
    assert.deepEqual(of({ cpus: 0 }), [
      'services.x.cpus: 0 is not allowed: to Docker it means no limit at all',
    ]);
    assert.match(
      of({ deploy: { resources: { limits: { memory: '0' } } } }).join(),
      /0 is not allowed: to Docker it means no limit/,
    );
    assert.deepEqual(
      of({ mem_reservation: 0 }),
      [],
      'a reservation of 0 is no reservation, not a missing limit',
    );
    assert.match(
      of({ ports: ['8000-8999:1-1000'] }).join(),
      /publishes 1000 ports: at most 100 in one entry/,
    );
    assert.deepEqual(of({ ports: ['8000-8099:1000-1099'] }), []);
    assert.match(
      of({ healthcheck: { test: 'true', interval: '1ms' } }).join(),
      /1ms is too often: at least 1s/,
    );
    assert.match(of({ cpu_shares: 262_144 }).join(), /262144 is not allowed: 2 to 1024/);
    assert.match(
      of({ logging: { driver: 'json-file', options: { 'max-buffer-size': '10g' } } }).join(),
      /"max-buffer-size" is not on the deploy policy's allow-list/,
    );
  });

  it("refuses another project's image however it is spelled, and image ids that could name any image", () => {
    for (const image of [
      'docker.io/library/td_other_project_web',
      'library/td_other_project_web:latest',
      'index.docker.io/td_other_project_web',
      'localhost:5000/td_other_project_web',
    ]) {
      assert.match(of({ image }).join(), /belongs to another project/, image);
    }
    for (const image of [
      '4bf26797f826',
      'sha256:4bf26797f826f8d5f620e2adad4bc284aaf4cefc480aac431e0339c7bd5cf966',
      'b944',
    ]) {
      assert.match(of({ image }).join(), /is, or could be, an image id/, image);
    }
    assert.deepEqual(of({ image: `docker.io/library/${PROJECT}_web` }), []);
  });

  it('refuses giant values before anything reads them', () => {
    assert.match(of({ command: 'x'.repeat(70_000) }).join(), /is 70000 characters long: at most 65536/);
    assert.match(
      of({ environment: Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`V${i}`, '1'])) }).join(),
      /has 1001 entries: at most 1000/,
    );
  });

  it('names keys that are not plain words with quotes, so the path stays readable', () => {
    assert.deepEqual(of({ 'weird key': 1 }), [
      'services.x."weird key": "weird key" is not on the deploy policy\'s allow-list',
    ]);
  });
});
