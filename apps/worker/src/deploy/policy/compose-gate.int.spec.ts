import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { composeCli, composeVariants, projectAt } from '../../../../../test/support/compose';
import { ComposeCli } from '../compose-cli';
import { ProjectVariable } from '../project-variables';
import { RoutedService } from '../routes/project-routes';
import { ProjectData } from '../workspace/project-data';
import { ComposeGate } from './compose-gate';

const run = promisify(execFile);

/** The corpus stays in the source tree; this file runs from dist/. */
const CORPUS = path.resolve(__dirname, '../../../../../../apps/worker/src/deploy/policy/corpus');
const BASE = 'testausdeploy/busybox:latest';
const OPTIONS = {
  ports: { from: 8000, to: 8999 },
  limits: { memory: '256m', cpus: 0.5, pids: 200 },
  caps: { memoryBytes: 2 * 1024 ** 3, cpus: 2, pids: 4096, replicas: 4 },
  appsNetwork: 'td-test-apps',
};

async function corpus(kind: 'hostile' | 'ordinary'): Promise<{ name: string; text: string }[]> {
  const names = (await fs.readdir(path.join(CORPUS, kind))).filter((name) => name.endsWith('.yml')).sort();
  return Promise.all(
    names.map(async (name) => ({ name, text: await fs.readFile(path.join(CORPUS, kind, name), 'utf8') })),
  );
}

/** What compose would read if a YAML trick got a host file past the checks: a stand-in for the Worker's secrets. */
const HOST_SECRET = `TD_HOST_SECRET=${randomBytes(8).toString('hex')}`;

/**
 * Files a refused key hides behind an anchor: each must be refused when merged into a service with `<<: *x` and
 * with `<<: [*x]`, under every compose the machine has.
 */
const HIDDEN: { snippet: string; expect: RegExp }[] = [
  { snippet: 'privileged: true', expect: /privileged: true is not allowed/ },
  {
    snippet: 'env_file: /HOST/secret.env',
    expect: /env_file\[0\]: ".*secret\.env" is outside the repository/,
  },
  {
    snippet: 'env_file: [/HOST/secret.env]',
    expect: /env_file\[0\]: ".*secret\.env" is outside the repository/,
  },
  {
    snippet: 'extends: { file: /HOST/base.yml, service: base }',
    expect: /extends\.file: ".*base\.yml" is outside the repository/,
  },
  {
    snippet: 'label_file: /HOST/secret.env',
    expect: /label_file\[0\]: ".*secret\.env" is outside the repository/,
  },
  { snippet: 'volumes: ["/HOST:/host"]', expect: /bind mount of .* is outside the repository/ },
  { snippet: 'volumes: ["/var/run/docker.sock:/var/run/docker.sock"]', expect: /container engine's socket/ },
  { snippet: 'network_mode: host', expect: /network_mode: "host" is not allowed/ },
  { snippet: 'pid: host', expect: /pid: "host" is not allowed/ },
  { snippet: 'cap_add: [SYS_ADMIN]', expect: /capability SYS_ADMIN is not allowed/ },
  { snippet: 'devices: ["/dev/sda:/dev/sda"]', expect: /devices are not allowed/ },
  {
    snippet: 'security_opt: ["seccomp=unconfined"]',
    expect: /security_opt "seccomp=unconfined" is not allowed/,
  },
  { snippet: 'mem_limit: 1000g', expect: /1000g is above the maximum memory/ },
  { snippet: 'pids_limit: -1', expect: /a process limit is a positive number/ },
  { snippet: 'container_name: td_other_project_web_1', expect: /container_name is not allowed/ },
  {
    snippet: 'labels: { com.docker.compose.project: td_other_project }',
    expect: /label com\.docker\.compose\.project is reserved/,
  },
];

for (const variant of composeVariants()) {
  describe(`the deploy gate under ${variant.label}: the corpus, rendered in the sandbox`, () => {
    let dir: string;
    let checkout: string;
    let host: string;
    let data: ProjectData;
    let cli: ComposeCli;
    let gate: ComposeGate;

    before(async () => {
      dir = await fs.realpath(await fs.mkdtemp(path.join(tmpdir(), 'policy-')));
      checkout = path.join(dir, 'checkout');
      host = path.join(dir, 'host');
      // A checkout with what the ordinary files refer to, and symlinks that lead out of it.
      await fs.mkdir(path.join(checkout, 'web'), { recursive: true });
      await fs.mkdir(path.join(checkout, 'conf'));
      await fs.mkdir(host);
      await fs.writeFile(path.join(checkout, 'web', 'Dockerfile'), `FROM ${BASE}\n`);
      await fs.writeFile(path.join(checkout, 'web', 'index.html'), '<p>hi</p>\n');
      await fs.writeFile(path.join(checkout, 'conf', 'app.conf'), 'setting=1\n');
      await fs.writeFile(path.join(checkout, 'app.env'), 'GREETING=hello\n');
      await fs.writeFile(path.join(checkout, 'token.txt'), 'not a real token\n');
      await fs.writeFile(
        path.join(checkout, 'base.yml'),
        `services:\n  base:\n    image: ${BASE}\n    environment: [FROM_BASE=1]\n`,
      );
      await fs.symlink('/etc', path.join(checkout, 'link-out'));
      await fs.writeFile(path.join(host, 'secret.env'), `${HOST_SECRET}\n`);
      await fs.writeFile(
        path.join(host, 'base.yml'),
        `services:\n  base:\n    image: ${BASE}\n    env_file: secret.env\n`,
      );
      data = new ProjectData(path.join(dir, 'data'));
      cli = composeCli(variant.command);
      gate = new ComposeGate(cli, { ...OPTIONS, dir: path.join(dir, 'checked') });
    });

    after(() => fs.rm(dir, { recursive: true, force: true }));

    let projects = 0;
    async function admit(
      text: string,
      file = 'docker-compose.yml',
      variables: ProjectVariable[] = [],
      routes: RoutedService[] = [],
      /** The second compose project a routed project's next version starts in, instead of its own. */
      beside = false,
    ) {
      const name = `td_policy_case${projects++}`;
      await fs.writeFile(path.join(checkout, file), text);
      return gate.admit(
        {
          name,
          runAs: beside ? name.replace(/^td_policy_/, 'td_policy--b_') : name,
          checkout,
          file: path.join(checkout, file),
          data: {
            mountDir: (relative) => data.mountDir(name, relative),
            prepare: (relative) => data.prepare(name, relative),
          },
        },
        { variables, routes },
      );
    }

    /** The reason `text` is refused with (fails if it is admitted). */
    async function refusal(text: string, file?: string): Promise<string> {
      const error = await admit(text, file).then(
        () => assert.fail(`admitted:\n${text}`),
        (e: Error) => e,
      );
      assert.match(error.name, /ComposePolicyError|ComposeFileError/, error.message);
      return error.message;
    }

    it('refuses every hostile file of the corpus, naming the path and the rule it breaks', async () => {
      const hostile = await corpus('hostile');
      assert.ok(hostile.length >= 40);
      for (const { name, text } of hostile) {
        const expected = /^# expect: (.+)$/m.exec(text)?.[1];
        assert.ok(expected, `${name} has no "# expect:" line`);
        assert.match(await refusal(text), new RegExp(expected), name);
      }
    });

    it('admits every ordinary file, limited, as a file compose accepts', async () => {
      const ordinary = await corpus('ordinary');
      assert.ok(ordinary.length >= 10);
      for (const { name, text } of ordinary) {
        const { project } = await admit(text).catch((error: Error) =>
          assert.fail(`${name}: ${error.message}`),
        );
        assert.equal((await fs.stat(project.file)).mode & 0o777, 0o600);
        const written = parse(await fs.readFile(project.file, 'utf8')) as {
          services: Record<string, Record<string, unknown>>;
        };
        for (const [service, spec] of Object.entries(written.services)) {
          const limits = (spec.deploy as { resources?: { limits?: object } } | undefined)?.resources?.limits;
          assert.ok(spec.mem_limit !== undefined || limits, `${name}: ${service} has no memory limit`);
          assert.ok(spec.pids_limit !== undefined, `${name}: ${service} has no pids limit`);
        }
        // What compose will run is what was checked: it reads the checked file back, in the sandbox.
        assert.ok((await cli.render(project)).includes('services:'), name);
      }
    });

    it('keeps the limits a file sets and adds the defaults where it sets none', async () => {
      const { project } = await admit(
        `services:\n  a:\n    image: ${BASE}\n    mem_limit: 64m\n  b:\n    image: ${BASE}\n`,
      );
      const { services } = parse(await fs.readFile(project.file, 'utf8')) as {
        services: Record<string, Record<string, unknown>>;
      };
      assert.equal(services.a.pids_limit, 200);
      assert.notEqual(String(services.a.mem_limit), '256m');
      assert.equal(services.b.mem_limit, '256m');
      assert.equal(services.b.cpus, 0.5);
    });

    it("gives the project's variables to its services once checked: escaped for compose, named in notes, never shown", async () => {
      const value = `line one $HOME \${X}\nline "two" \\ ${randomBytes(8).toString('hex')}`;
      const variables: ProjectVariable[] = [
        { name: 'TOKEN', service: null, value },
        { name: 'MODE', service: null, value: 'shared' },
        { name: 'MODE', service: 'worker', value: 'own' },
        { name: 'LOST', service: 'nope', value: 'x' },
        { name: '__proto__', service: 'worker', value: 'own property' },
      ];
      const { project, notes } = await admit(
        `services:\n  web:\n    image: ${BASE}\n    environment: [MODE=from-file, KEPT=1]\n  worker:\n    image: ${BASE}\n`,
        'docker-compose.yml',
        variables,
      );
      assert.equal((await fs.stat(project.file)).mode & 0o777, 0o600);
      type Services = { services: Record<string, { environment: Record<string, string> }> };
      const { services } = parse(await fs.readFile(project.file, 'utf8')) as Services;
      const escaped = value.replace(/\$/g, '$$$$');
      assert.deepEqual(services.web.environment, { MODE: 'shared', KEPT: '1', TOKEN: escaped });
      // A variable named like an object's property is a variable like any other.
      const worker = (JSON.parse(await fs.readFile(project.file, 'utf8')) as Services).services.worker;
      assert.equal(Object.getOwnPropertyDescriptor(worker.environment, '__proto__')?.value, 'own property');
      assert.deepEqual(
        Object.entries(worker.environment).filter(([name]) => name !== '__proto__'),
        [
          ['TOKEN', escaped],
          ['MODE', 'own'],
        ],
      );
      assert.deepEqual(notes.slice(-3), [
        "the configuration's 5 variable(s) given to the services (2 to every service, the rest to their own)",
        'variable LOST is for service nope, which the compose file does not have',
        'the configuration replaced what the compose file set for MODE',
      ]);
      assert.ok(!notes.join('\n').includes('line one'));
      // Compose reads the checked file back with each value as it was given: its "$" are no variables.
      const rendered = parse(await cli.render(project)) as Services;
      const token = rendered.services.web.environment.TOKEN;
      assert.ok(token === value || token.replace(/\$\$/g, '$') === value, token);
    });

    it('puts routed services on the apps network at their addresses, beside their own networks, once checked', async () => {
      const routes = [
        { service: 'web', port: 8080, address: '10.88.0.2' },
        { service: 'api', port: 3000, address: '10.88.0.3' },
      ];
      const { project, notes } = await admit(
        `services:\n  web:\n    image: ${BASE}\n  api:\n    image: ${BASE}\n    networks: [back]\n  db:\n    image: ${BASE}\n    networks: [back]\nnetworks:\n  back: {}\n`,
        'docker-compose.yml',
        [],
        routes,
      );
      type Checked = {
        services: Record<string, { networks: Record<string, { ipv4_address?: string } | null> }>;
        networks: Record<string, unknown>;
      };
      const checked = parse(await fs.readFile(project.file, 'utf8')) as Checked;
      assert.deepEqual(checked.services.web.networks, {
        default: null,
        testausdeploy_apps: { ipv4_address: '10.88.0.2' },
      });
      assert.deepEqual(checked.services.api.networks, {
        back: null,
        testausdeploy_apps: { ipv4_address: '10.88.0.3' },
      });
      assert.deepEqual(checked.services.db.networks, { back: null });
      // No container of a routed project can forge ARP or IP packets on the shared bridge.
      for (const service of ['web', 'api', 'db']) {
        assert.deepEqual(
          (checked.services[service] as { cap_drop?: string[] }).cap_drop,
          ['NET_RAW'],
          service,
        );
      }
      assert.deepEqual(checked.networks.testausdeploy_apps, { external: true, name: 'td-test-apps' });
      assert.ok(
        notes.includes('route: service web, port 8080, at 10.88.0.2 on the apps network'),
        notes.join('\n'),
      );
      // Compose takes the checked file as it is.
      const rendered = parse(await cli.render(project)) as Checked;
      assert.equal(rendered.services.web.networks.testausdeploy_apps?.ipv4_address, '10.88.0.2');
    });

    it("runs a version as the second compose project on the project's own volumes and the slot's own networks", async () => {
      const { project, besideProblem } = await admit(
        `services:\n  web:\n    image: ${BASE}\n    volumes: [cache:/cache]\n    networks: [back]\nvolumes:\n  cache:\n    labels: {org.testausdeploy.exclusive: "false"}\nnetworks:\n  back: {}\n`,
        'docker-compose.yml',
        [],
        [{ service: 'web', port: 8080, address: '10.88.0.4' }],
        true,
      );
      assert.equal(besideProblem, null);
      const name = project.name.replace('--b', '');
      assert.match(project.name, /^td_policy--b_case\d+$/);
      type Named = Record<string, { name?: string; external?: boolean }>;
      // Compose takes the checked file as it is, and names what it makes from it so.
      const rendered = parse(await cli.render(project)) as { volumes: Named; networks: Named };
      assert.equal(rendered.volumes.cache.name, `${name}_cache`);
      assert.equal(rendered.networks.back.name, `${project.name}_back`);
      assert.equal(rendered.networks.testausdeploy_apps.name, 'td-test-apps');
    });

    it('says why a project writing a volume it did not label shareable cannot run twice; the label takes "true" or "false" only, other platform labels none', async () => {
      const volume = (labels: string) =>
        `services:\n  db:\n    image: ${BASE}\n    volumes: [db:/db]\nvolumes:\n  db:\n    labels: ${labels}\n`;
      const { besideProblem } = await admit(volume('{org.testausdeploy.exclusive: "true"}'));
      assert.match(
        besideProblem ?? '',
        /^service db writes volume db, which two versions would write at once/,
      );
      assert.equal((await admit(volume('{org.testausdeploy.exclusive: "false"}'))).besideProblem, null);
      assert.match(
        await refusal(volume('{org.testausdeploy.exclusive: "yes"}')),
        /volumes\.db\.labels: org\.testausdeploy\.exclusive is "true" or "false", not "yes"/,
      );
      assert.match(
        await refusal(volume('{org.testausdeploy.apps-network: "true"}')),
        /volumes\.db\.labels.*org\.testausdeploy\.apps-network is reserved/,
      );
      const data = await admit(`services:\n  web:\n    image: ${BASE}\n    volumes: [./uploads:/uploads]\n`);
      assert.equal(
        data.besideProblem,
        'service web writes its data directory at /uploads, which two versions would write at once',
      );
    });

    it('refuses a route to a service the project lacks, without networks, with its own MAC or replicas, and the apps network name', async () => {
      const refusal = (text: string, routes: RoutedService[]) =>
        admit(text, 'docker-compose.yml', [], routes).then(
          () => assert.fail('admitted'),
          (error: Error) => error.message,
        );
      const route = (service: string) => [{ service, port: 80, address: '10.88.0.9' }];
      assert.match(
        await refusal(`services:\n  web:\n    image: ${BASE}\n`, route('site')),
        /services\.site: a route reaches this service, which the compose file does not have/,
      );
      assert.match(
        await refusal(`services:\n  web:\n    image: ${BASE}\n    network_mode: none\n`, route('web')),
        /services\.web\.network_mode: a route needs the service on networks, not network_mode/,
      );
      assert.match(
        await refusal(
          `services:\n  web:\n    image: ${BASE}\n    networks: [testausdeploy_apps]\nnetworks:\n  testausdeploy_apps: {}\n`,
          route('web'),
        ),
        /networks\.testausdeploy_apps: the name is the platform's apps network/,
      );
      assert.match(
        await refusal(
          `services:\n  web:\n    image: ${BASE}\n    mac_address: 02:42:0a:58:00:02\n`,
          route('web'),
        ),
        /services\.web\.mac_address: a routed service keeps the MAC address Docker gives it/,
      );
      assert.match(
        await refusal(
          `services:\n  web:\n    image: ${BASE}\n    deploy:\n      replicas: 2\n`,
          route('web'),
        ),
        /services\.web: a routed service runs one container: its address on the apps network is fixed/,
      );
    });

    it('mounts what the commit has read-only from the checkout, and what it lacks from the project data', async () => {
      const { project, notes } = await admit(
        `services:\n  app:\n    image: ${BASE}\n    volumes: ["./conf:/conf", "./web/index.html:/www/index.html:ro", "./uploads:/uploads", "./web/cache:/cache:ro"]\n`,
      );
      const { services } = parse(await fs.readFile(project.file, 'utf8')) as {
        services: {
          app: { volumes: { type: string; source: string; target: string; read_only?: boolean }[] };
        };
      };
      const mounts = services.app.volumes.map(({ source, target, read_only }) => ({
        source,
        target,
        read_only,
      }));
      const name = path.basename(project.file, '.yml');
      assert.deepEqual(mounts, [
        { source: path.join(checkout, 'conf'), target: '/conf', read_only: true },
        { source: path.join(checkout, 'web', 'index.html'), target: '/www/index.html', read_only: true },
        { source: data.mountDir(name, 'uploads'), target: '/uploads', read_only: undefined },
        { source: data.mountDir(name, 'web/cache'), target: '/cache', read_only: true },
      ]);
      assert.ok((await fs.stat(data.mountDir(name, 'web/cache'))).isDirectory());
      assert.ok(
        notes.some((note) => /\.\/conf is in the commit, so it is mounted read-only/.test(note)),
        notes.join('\n'),
      );
      assert.ok(
        notes.some((note) => /\.\/uploads is not in the commit: it is the project's data/.test(note)),
        notes.join('\n'),
      );
    });

    it("reads only a plain .env of the checkout, never the Worker's environment", async () => {
      process.env.TD_WORKER_SECRET = 'leaked';
      try {
        await fs.writeFile(path.join(checkout, '.env'), 'GREETING=from-dotenv\n');
        const text = `services:\n  app:\n    image: ${BASE}\n    environment: ["A=\${GREETING}", "B=\${TD_WORKER_SECRET:-not seen}"]\n`;
        const { project } = await admit(text);
        const written = await fs.readFile(project.file, 'utf8');
        assert.match(written, /"A": "from-dotenv"/);
        assert.match(written, /"B": "not seen"/);
        assert.doesNotMatch(written, /leaked/);

        await fs.rm(path.join(checkout, '.env'));
        await fs.symlink(path.join(host, 'secret.env'), path.join(checkout, '.env'));
        assert.match(
          await refusal(text),
          /\.env: \.env is a symlink: compose reads only a plain \.env file of the repository/,
        );
        await fs.rm(path.join(checkout, '.env'));
        await fs.writeFile(
          path.join(checkout, '.env'),
          'DOCKER_HOST=tcp://127.0.0.1:2375\nCOMPOSE_PROFILES=web\n',
        );
        assert.match(
          await refusal(text),
          /\.env line 1: DOCKER_HOST configures compose or Docker, not the project/,
        );
        await fs.writeFile(path.join(checkout, '.env'), 'A=1\rCOMPOSE_PROFILES="web,$${X}"\n');
        assert.match(
          await refusal(text),
          /\.env line 2: COMPOSE_PROFILES must be profile names separated by commas/,
        );
      } finally {
        delete process.env.TD_WORKER_SECRET;
        await fs.rm(path.join(checkout, '.env'), { force: true });
      }
    });

    it('refuses every refused key hidden behind an anchor, merged in either form', async () => {
      for (const { snippet, expect } of HIDDEN) {
        const hidden = snippet.replaceAll('/HOST', host);
        for (const merge of ['<<: *hidden', '<<: [*hidden]', '<<: [*plain, *hidden]']) {
          const text = [
            `x-plain: &plain\n  restart: "no"`,
            `x-hidden: &hidden\n  ${hidden}`,
            `services:\n  app:\n    ${merge}\n    image: ${BASE}\n`,
          ].join('\n');
          assert.match(await refusal(text), expect, `${snippet} merged with ${merge}`);
        }
      }
    });

    it('follows no symlink out of the checkout for any file compose reads, as a file, a directory or a chain', async () => {
      const outside = { file: path.join(host, 'secret.env'), dir: host };
      const service = `services:\n  app:\n    image: ${BASE}\n`;
      const cases: {
        what: string;
        target: 'file' | 'dir';
        at?: string;
        text: (link: string) => string;
        expect: RegExp;
      }[] = [
        { what: '.env', target: 'file', at: '.env', text: () => service, expect: /\.env is a symlink/ },
        {
          what: 'env_file',
          target: 'file',
          text: (l) => `${service}    env_file: ${l}\n`,
          expect: /env_file\[0\]: .* is outside the repository/,
        },
        {
          what: 'label_file',
          target: 'file',
          text: (l) => `${service}    label_file: ${l}\n`,
          expect: /label_file\[0\]: .* is outside the repository/,
        },
        {
          what: 'extends file',
          target: 'file',
          text: (l) => `services:\n  app:\n    extends: { file: ${l}, service: base }\n`,
          expect: /extends\.file: .* is outside the repository/,
        },
        {
          what: 'include',
          target: 'file',
          text: (l) => `include: [${l}]\n${service}`,
          expect: /include\[0\]: .* is outside the repository/,
        },
        {
          what: 'bind mount of a file',
          target: 'file',
          text: (l) => `${service}    volumes: ["./${l}:/x"]\n`,
          expect: /goes through a symlink out of the repository/,
        },
        {
          what: 'bind mount of a directory',
          target: 'dir',
          text: (l) => `${service}    volumes: ["./${l}:/x"]\n`,
          expect: /goes through a symlink out of the repository/,
        },
        {
          what: 'build context',
          target: 'dir',
          text: (l) => `services:\n  app:\n    build: ./${l}\n`,
          expect: /build\.context: .* is outside the repository/,
        },
        {
          what: 'dockerfile',
          target: 'file',
          text: (l) => `services:\n  app:\n    build: { context: ., dockerfile: ${l} }\n`,
          expect: /dockerfile .* goes through a symlink out of the repository/,
        },
        {
          what: 'secret file',
          target: 'file',
          text: (l) => `${service}    secrets: [s]\nsecrets:\n  s: { file: ./${l} }\n`,
          expect: /secrets\.s\.file: .* goes through a symlink out of the repository/,
        },
        {
          what: 'config file',
          target: 'file',
          text: (l) => `${service}    configs: [c]\nconfigs:\n  c: { file: ./${l} }\n`,
          expect: /configs\.c\.file: .* goes through a symlink out of the repository/,
        },
      ];
      let n = 0;
      for (const { what, target, at, text, expect } of cases) {
        for (const form of ['direct', 'chained', 'through a directory'] as const) {
          const link = at ?? `link-${n}`;
          const hop = `hop-${n++}`;
          const final = outside[target];
          if (form === 'direct') await fs.symlink(final, path.join(checkout, link));
          if (form === 'chained') {
            await fs.symlink(final, path.join(checkout, hop));
            await fs.symlink(hop, path.join(checkout, link));
          }
          if (form === 'through a directory') {
            await fs.symlink(path.dirname(final), path.join(checkout, hop));
            await fs.symlink(
              target === 'dir' ? hop : `${hop}/${path.basename(final)}`,
              path.join(checkout, link),
            );
          }
          try {
            assert.match(
              await refusal(text(link)).catch((e: Error) =>
                assert.fail(
                  `${what}, ${form}: ${e.message} ${JSON.stringify((e as { output?: unknown }).output)}`,
                ),
              ),
              expect,
              `${what}, ${form}`,
            );
          } finally {
            await fs.rm(path.join(checkout, link), { force: true });
            await fs.rm(path.join(checkout, hop), { force: true });
          }
        }
      }
    });

    it('judges every host path as compose reads the checked file back: no "$", no dangling symlink out, no hidden line break', async () => {
      // A directory the policy would judge, and a variable compose would expand when it reads the checked file.
      await fs.mkdir(path.join(checkout, '${X}'));
      await fs.writeFile(path.join(checkout, '${X}', 'f'), 'decoy\n');
      await fs.writeFile(path.join(checkout, '.env'), 'X=../../../../../../etc\n');
      try {
        assert.match(
          await refusal(`services:\n  app:\n    image: ${BASE}\n    volumes: ["./$\${X}:/x"]\n`),
          /volumes\[0\]: bind mount of \.\/\$+\{X\} holds "\$", which compose would read as a variable/,
        );
        assert.match(
          await refusal(
            `services:\n  app:\n    image: ${BASE}\n    secrets: [s]\nsecrets:\n  s: { file: "./$\${X}/f" }\n`,
          ),
          /secrets\.s\.file: .* holds "\$", which compose would read as a variable/,
        );
      } finally {
        await fs.rm(path.join(checkout, '${X}'), { recursive: true });
        await fs.rm(path.join(checkout, '.env'));
      }

      // A symlink to a path that does not exist yet is judged by where it leads, not as a file of the commit.
      await fs.symlink(
        '/var/lib/docker/volumes/td_policy_victim_v/_data/evil',
        path.join(checkout, 'dangling'),
      );
      await fs.symlink('later/data', path.join(checkout, 'dangling-inside'));
      try {
        assert.match(
          await refusal(`services:\n  app:\n    image: ${BASE}\n    volumes: ["./dangling:/host"]\n`),
          /bind mount of \.\/dangling goes through a symlink out of the repository/,
        );
        assert.match(
          await refusal(
            `services:\n  app:\n    image: ${BASE}\n    secrets: [s]\nsecrets:\n  s: { file: ./dangling }\n`,
          ),
          /secrets\.s\.file: .* goes through a symlink out of the repository/,
        );
        const { project } = await admit(
          `services:\n  app:\n    image: ${BASE}\n    volumes: ["./dangling-inside:/d"]\n`,
        );
        const checked = JSON.parse(await fs.readFile(project.file, 'utf8')) as {
          services: { app: { volumes: { source: string }[] } };
        };
        assert.equal(
          checked.services.app.volumes[0].source,
          data.mountDir(path.basename(project.file, '.yml'), 'later/data'),
        );
      } finally {
        await fs.rm(path.join(checkout, 'dangling'));
        await fs.rm(path.join(checkout, 'dangling-inside'));
      }

      // Characters a YAML 1.1 reader takes for line breaks (and the Worker's YAML 1.2 reader does not) must not
      // make compose read the checked file as other paths or more keys than were judged: what runs is what was.
      const odd = 'c\u2028            d';
      await fs.mkdir(path.join(checkout, odd));
      await fs.symlink('/', path.join(checkout, 'c\u2028d'));
      const escaped = (text: string) =>
        text.replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
      const { project } = await admit(
        [
          'services:',
          '  app:',
          `    image: ${BASE}`,
          '    command: ["sleep", "600"]',
          `    volumes: ["./${odd}:/y", "./${escaped(odd)}:/z"]`,
          `    environment: { SNEAKY: "${escaped('a\u2028    privileged: true\u0085b\u2029c')}" }`,
          '',
        ].join('\n'),
      );
      try {
        const judged = JSON.parse(await fs.readFile(project.file, 'utf8')) as {
          services: {
            app: {
              privileged?: unknown;
              environment: Record<string, string>;
              volumes: { source: string; target: string }[];
            };
          };
        };
        assert.equal(judged.services.app.privileged, undefined);
        await cli.up(project);
        const { stdout } = await run('docker', [
          'inspect',
          '--format',
          '{{json .}}',
          `${path.basename(project.file, '.yml')}_app_1`,
        ]);
        const container = JSON.parse(stdout) as {
          HostConfig: { Privileged: boolean };
          Config: { Env: string[] };
          Mounts: { Source: string; Destination: string }[];
        };
        assert.equal(container.HostConfig.Privileged, false);
        assert.ok(
          container.Config.Env.includes(`SNEAKY=${judged.services.app.environment.SNEAKY}`),
          JSON.stringify(container.Config.Env),
        );
        for (const { source, target } of judged.services.app.volumes) {
          const mounted = container.Mounts.find(({ Destination }) => Destination === target);
          assert.equal(mounted?.Source, source, `${target} is mounted from what was judged`);
          assert.ok(source.startsWith(checkout) || source.startsWith(dir), source);
        }
      } finally {
        await cli.remove(project, true).catch(() => undefined);
        await fs.rm(path.join(checkout, odd), { recursive: true });
        await fs.rm(path.join(checkout, 'c\u2028d'));
      }
    });

    it('renders where no host file exists: what got past the checks could read nothing of the host', async () => {
      // The gate's own checks would refuse this file first; rendered straight in the sandbox, compose is blind.
      await fs.mkdir(path.join(dir, 'blind'));
      const project = await projectAt('td_policy_blind', path.join(dir, 'blind', 'docker-compose.yml'));
      await fs.writeFile(
        project.file,
        `services:\n  app:\n    image: ${BASE}\n    env_file: ${path.join(host, 'secret.env')}\n`,
      );
      const lines: string[] = [];
      await assert.rejects(cli.render(project, (line) => lines.push(line)));
      assert.match(lines.join('\n'), /secret\.env|not found|no such file/i);
      assert.doesNotMatch(lines.join('\n'), new RegExp(HOST_SECRET));
      await fs.writeFile(
        project.file,
        `services:\n  app:\n    image: ${BASE}\n    env_file: /etc/hostname\n`,
      );
      await assert.rejects(cli.render(project));
    });

    it('renders again only when a file compose reads has changed, moving a cached rendering to the new checkout', async () => {
      let renders = 0;
      const counting = composeCli(variant.command);
      const render = counting.render.bind(counting);
      counting.render = (...args) => {
        renders++;
        return render(...args);
      };
      const cached = new ComposeGate(counting, { ...OPTIONS, dir: path.join(dir, 'checked-cache') });
      const text = `services:\n  web:\n    build: ./web\n    env_file: app.env\n    volumes: ["./conf:/conf", "./:/repo"]\n`;
      const second = path.join(dir, 'second-checkout');
      const admitIn = async (root: string) => {
        await fs.writeFile(path.join(root, 'docker-compose.yml'), text);
        const { project } = await cached.admit(
          {
            name: 'td_policy_cache',
            runAs: 'td_policy_cache',
            checkout: root,
            file: path.join(root, 'docker-compose.yml'),
            data: {
              mountDir: (relative) => data.mountDir('td_policy_cache', relative),
              prepare: async () => undefined,
            },
          },
          { variables: [], routes: [] },
        );
        return fs.readFile(project.file, 'utf8');
      };
      await admitIn(checkout);
      await fs.cp(checkout, second, { recursive: true, verbatimSymlinks: true });
      await fs.writeFile(
        path.join(second, 'web', 'index.html'),
        '<p>changed, and nothing compose reads</p>\n',
      );
      const moved = await admitIn(second);
      assert.equal(renders, 1, 'a commit that changes no file compose reads is not rendered again');
      assert.ok(moved.includes(path.join(second, 'conf')), moved);
      const mounts = (
        JSON.parse(moved) as { services: { web: { volumes: { source: string; target: string }[] } } }
      ).services.web.volumes;
      assert.deepEqual(
        mounts.map(({ source, target }) => [source, target]),
        [
          [path.join(second, 'conf'), '/conf'],
          [second, '/repo'],
        ],
        'the checkout itself moved too',
      );
      assert.doesNotMatch(moved, new RegExp(`${checkout}(/|\n|:)`), 'the old checkout is still named');

      await fs.writeFile(path.join(second, 'app.env'), 'GREETING=changed\n');
      assert.match(await admitIn(second), /"GREETING": "changed"/);
      assert.equal(renders, 2, 'an env file that changed is rendered again');
    });
  });
}
