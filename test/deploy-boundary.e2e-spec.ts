import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { Deployment } from '@testausdeploy/domain';
import { composeProjectName } from '../apps/worker/src/deploy/compose-cli';
import { composeObjects } from './support/compose-objects';
import { GitHost, RepoFile } from './support/git-host';
import { eventually, freePort } from './support/ports';
import { System } from './support/system';

const run = promisify(execFile);
const ORG = 'boundary-org';
const BASE = 'testausdeploy/busybox:latest';

interface DeploymentView {
  id: string;
  repo: string;
  status: string;
  reason: string | null;
}

/**
 * The deploy boundary, found by a security review, each finding as a repository deployed through the real API on
 * the real dockerd. A finding that used to get through is checked where it would have landed: no host file or
 * secret in any container, no command run on the host (a marker file that must never appear).
 */
describe('end to end: untrusted compose files cannot reach the host', () => {
  let git: GitHost;
  let system: System;
  let host: string;
  /** Stands for the Worker's and Manager's secrets, e.g. /etc/testausdeploy/manager.env. */
  let secretFile: string;
  const secret = `ADMIN_TOKEN=${randomBytes(12).toString('hex')}`;
  const repos: string[] = [];

  before(async () => {
    host = await mkdtemp(join(tmpdir(), 'td-host-'));
    secretFile = join(host, 'manager.env');
    await writeFile(secretFile, `${secret}\n`);
    git = await GitHost.start();
    system = await System.start({ allowedOrgs: ORG, gitBaseUrl: git.baseUrl });
  });

  after(async () => {
    for (const repo of repos) await system.composeDown(ORG, repo).catch(() => undefined);
    await system.stop();
    await git.stop();
    await rm(host, { recursive: true, force: true });
  });

  const markers = async () => (await readdir(host)).filter((name) => name.startsWith('pwned'));

  async function deploy(
    repo: string,
    files: Record<string, RepoFile>,
    composePath?: string,
  ): Promise<DeploymentView> {
    if (!repos.includes(repo)) repos.push(repo);
    await git.push(ORG, repo, files);
    const accepted = await system.call<{ deploymentId: string }>('POST', '/deployments', {
      org: ORG,
      repo,
      ...(composePath && { composePath }),
    });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    return eventually(async () => {
      const { body } = await system.call<DeploymentView>('GET', `/deployments/${accepted.body.deploymentId}`);
      return body.status === 'requested' ? undefined : body;
    }, 180_000);
  }

  /** Refused with `reason`, and nothing of the project exists on dockerd: no container, volume, network, image. */
  async function refusedCleanly(
    repo: string,
    files: Record<string, RepoFile>,
    reasons: RegExp | RegExp[],
  ): Promise<void> {
    const view = await deploy(repo, files);
    assert.equal(view.status, 'failed', JSON.stringify(view));
    for (const reason of [reasons].flat()) assert.match(view.reason ?? '', reason);
    assert.deepEqual(await composeObjects(composeProjectName(ORG, repo)), {
      containers: [],
      networks: [],
      volumes: [],
      images: [],
    });
  }

  /**
   * The environment of every container on this dockerd: none may hold the secret. Other test files share the
   * dockerd, so a container listed may be gone by the time it is inspected: it holds nothing then.
   */
  async function assertSecretInNoContainer(): Promise<void> {
    const { stdout: ids } = await run('docker', ['ps', '-aq']);
    for (const id of ids.split('\n').filter(Boolean)) {
      const inspected = await run('docker', ['inspect', '--format', '{{json .Config.Env}}', id]).catch(
        (error: { stderr?: string }) => {
          if (/No such object/.test(error.stderr ?? '')) return null;
          throw error;
        },
      );
      if (!inspected) continue;
      const { stdout } = inspected;
      assert.ok(!stdout.includes(secret.split('=')[1]), `container ${id} holds the secret: ${stdout}`);
    }
  }

  const page = async (port: number) => {
    const res = await fetch(`http://127.0.0.1:${port}/`).catch(() => null);
    return res?.ok ? res.text() : undefined;
  };

  it('1. keeps the git directory out of every container and the checkout read-only, so no hook runs on the host', async () => {
    const repo = `hooks-${randomBytes(3).toString('hex')}`;
    const port = await freePort();
    // What a container would do to make the Worker's next git run execute a command as root.
    const attack = [
      `mkdir -p /repo/.git/hooks && printf '#!/bin/sh\\ntouch ${host}/pwned-hook\\n' > /repo/.git/hooks/post-checkout`,
      `printf '[core]\\n\\tfsmonitor = touch ${host}/pwned-fsmonitor\\n\\thooksPath = /repo/hooks\\n' > /repo/.git/config`,
      `rm -rf /repo/conf && ln -s /etc /repo/conf`,
      `echo planted > /repo/planted`,
    ];
    const files = (version: string): Record<string, RepoFile> => ({
      'docker-compose.yml': [
        'services:',
        '  writer:',
        '    build: ./writer',
        '    volumes: ["./:/repo", "./data:/data"]',
        `    ports: ["127.0.0.1:${port}:8080"]`,
        '    stop_grace_period: 1s',
        '  reader:',
        `    image: ${BASE}`,
        '    volumes: ["./conf:/conf", "./data/sub:/sub"]',
        '    command: ["sh", "-c", "sleep 3600"]',
        '    stop_grace_period: 1s',
        '',
      ].join('\n'),
      'writer/Dockerfile': [`FROM ${BASE}`, 'COPY attack.sh /attack.sh', 'CMD ["sh", "/attack.sh"]', ''].join(
        '\n',
      ),
      'writer/attack.sh': [
        'mkdir -p /www',
        ...attack.map(
          (step, n) =>
            `if ( ${step} ) 2>/dev/null; then echo "step ${n}: done" >> /www/index.html; else echo "step ${n}: denied" >> /www/index.html; fi`,
        ),
        'ls -a /repo >> /www/index.html',
        // A symlink in the data directory, for the next version's mount of ./data/sub to follow.
        'rm -rf /data/sub && ln -s /etc /data/sub',
        'exec httpd -f -p 8080 -h /www',
        '',
      ].join('\n'),
      'conf/app.conf': `setting from the repository, ${version}\n`,
      'hooks/post-merge': `#!/bin/sh\ntouch ${host}/pwned-hooks-path\n`,
    });
    const first = await deploy(repo, files('v1'));
    assert.equal(first.status, 'succeeded', first.reason ?? '');
    const report = await eventually(async () => {
      const text = await page(port);
      return text?.includes('step 3') ? text : undefined;
    }, 30_000);
    for (let n = 0; n < attack.length; n++) assert.match(report, new RegExp(`step ${n}: denied`), report);
    assert.doesNotMatch(report, /^\.git$/m, 'the checkout holds no .git');

    // Redeploying fetches and checks out again: that is where a planted hook or fsmonitor would run.
    const second = await deploy(repo, files('v2'));
    assert.equal(second.status, 'succeeded', second.reason ?? '');
    const project = composeProjectName(ORG, repo);
    const { stdout: conf } = await run('docker', ['exec', `${project}_reader_1`, 'cat', '/conf/app.conf']);
    assert.equal(conf, 'setting from the repository, v2\n');
    // The next version's ./data/sub is a directory of its own, not where the old one's symlink pointed.
    const { stdout: sub } = await run('docker', ['exec', `${project}_reader_1`, 'ls', '-a', '/sub']);
    assert.doesNotMatch(sub, /passwd|hostname/, sub);
    const gitDir = join(system.reposDir, ORG, `${repo}.git`);
    const hooks = (await readdir(join(gitDir, 'hooks'))).filter((name) => !name.endsWith('.sample'));
    assert.deepEqual(hooks, [], 'no hook was planted in the bare repository');
    assert.deepEqual(await markers(), [], 'no command ran on the host');
  });

  it('2. refuses a .env that is a symlink to a host file, and no container gets the secret', async () => {
    const repo = `dotenv-${randomBytes(3).toString('hex')}`;
    await refusedCleanly(
      repo,
      {
        '.env': { symlink: secretFile },
        'docker-compose.yml': `services:\n  app:\n    image: ${BASE}\n    environment: ["LEAK=\${ADMIN_TOKEN:-nothing}"]\n    command: ["sleep", "3600"]\n`,
      },
      /\.env: \.env is a symlink: compose reads only a plain \.env file of the repository/,
    );
    await assertSecretInNoContainer();
  });

  it('3. refuses files hidden behind YAML merge keys and include options, single and list form', async () => {
    const leak = `x-leak: &leak\n  env_file: ${secretFile}\nx-plain: &plain\n  restart: "no"\n`;
    const service = (merge: string) =>
      `services:\n  app:\n    ${merge}\n    image: ${BASE}\n    command: ["sleep", "3600"]\n`;
    for (const [name, text] of [
      ['merge', `${leak}${service('<<: *leak')}`],
      ['merge-list', `${leak}${service('<<: [*plain, *leak]')}`],
    ]) {
      await refusedCleanly(
        `${name}-${randomBytes(3).toString('hex')}`,
        { 'docker-compose.yml': text },
        /services\.app\.env_file\[0\]: ".*manager\.env" is outside the repository/,
      );
    }
    await refusedCleanly(
      `include-${randomBytes(3).toString('hex')}`,
      {
        'docker-compose.yml': `include:\n  - path: ./more.yml\n    env_file: ${secretFile}\n${service('restart: "no"')}`,
        'more.yml': `services:\n  more:\n    image: ${BASE}\n`,
      },
      /include\[0\]\.env_file\[0\]: ".*manager\.env" is outside the repository/,
    );
    await assertSecretInNoContainer();
  });

  it("4. refuses names outside the project's namespace for volumes and networks", async () => {
    await refusedCleanly(
      `names-${randomBytes(3).toString('hex')}`,
      {
        'docker-compose.yml': [
          'services:',
          '  app:',
          `    image: ${BASE}`,
          '    volumes: ["data:/data"]',
          '    networks: [db, outside]',
          'volumes:',
          '  data: { name: td_victim_site_data }',
          'networks:',
          '  db: { name: testausdeploy_default }',
          '  outside: { name: host }',
          '',
        ].join('\n'),
      },
      [
        /volumes\.data\.name: names are given per project/,
        /networks\.db\.name: names are given per project/,
        /networks\.outside\.name: names are given per project/,
      ],
    );
  });

  it('5. refuses to build an image under a name other projects use, and leaves that image as it was', async () => {
    const { stdout: before } = await run('docker', ['image', 'inspect', '--format', '{{.Id}}', BASE]);
    await refusedCleanly(
      `retag-${randomBytes(3).toString('hex')}`,
      {
        'docker-compose.yml': `services:\n  app:\n    build: ./app\n    image: ${BASE}\n`,
        'app/Dockerfile': `FROM ${BASE}\nRUN echo poisoned > /poisoned\n`,
      },
      /services\.app\.image: a built image may not be named testausdeploy\/busybox:latest: that would retag an image other projects use/,
    );
    await refusedCleanly(
      `tags-${randomBytes(3).toString('hex')}`,
      {
        'docker-compose.yml': `services:\n  app:\n    build:\n      context: ./app\n      tags: ["postgres:16"]\n`,
        'app/Dockerfile': `FROM ${BASE}\n`,
      },
      /services\.app\.build\.tags: build tags are not allowed/,
    );
    const { stdout: after } = await run('docker', ['image', 'inspect', '--format', '{{.Id}}', BASE]);
    assert.equal(after, before);
  });

  it('6. refuses build-time keys that reach the Worker and limits above the maxima, naming each', async () => {
    // Keys docker-compose 1.29 does not know make its rendering fail: the reason names them from the file as written.
    await refusedCleanly(
      `build-${randomBytes(3).toString('hex')}`,
      {
        'docker-compose.yml': [
          'services:',
          '  app:',
          '    build:',
          '      context: ./app',
          '      ssh: [default]',
          '      secrets: [token]',
          '      cache_from: [td_victim_site_web]',
          '      cache_to: ["type=local,dest=/var/lib/testausdeploy"]',
          'secrets:',
          '  token: { file: ./token }',
          '',
        ].join('\n'),
        'app/Dockerfile': `FROM ${BASE}\n`,
        token: 'x',
      },
      [
        /services\.app\.build\.ssh: build ssh is not allowed/,
        /services\.app\.build\.secrets: build secrets are not allowed/,
        /services\.app\.build\.cache_from: build cache_from is not allowed/,
        /services\.app\.build\.cache_to: build cache_to is not allowed/,
      ],
    );
    await refusedCleanly(
      `limits-${randomBytes(3).toString('hex')}`,
      {
        'docker-compose.yml': [
          'services:',
          '  app:',
          `    image: ${BASE}`,
          '    mem_limit: 1000g',
          '    pids_limit: -1',
          '    cpus: 64',
          '    ulimits: { nproc: 1000000, nofile: 100000000 }',
          '',
        ].join('\n'),
      },
      [
        /services\.app\.mem_limit: 1000g is above the maximum memory \(MAX_MEMORY\) of 2g/,
        /services\.app\.pids_limit: -1 is not allowed/,
        /services\.app\.cpus: 64 CPUs is above the maximum of 2 \(MAX_CPUS\)/,
        /services\.app\.ulimits\.nproc: 1000000 is above the maximum/,
        /services\.app\.ulimits\.nofile: 100000000 is above the maximum/,
      ],
    );
    // docker-compose 1.29 reads a seccomp profile while rendering: in the sandbox the host file does not exist, so
    // compose itself fails (the allow-list refuses it where compose renders without reading it, as v2 does).
    const seccomp = `seccomp-${randomBytes(3).toString('hex')}`;
    await refusedCleanly(
      seccomp,
      {
        'docker-compose.yml': `services:\n  app:\n    image: ${BASE}\n    security_opt: ["seccomp=${secretFile}"]\n`,
      },
      /docker-compose config for .* failed|security_opt "seccomp=.*" is not allowed/,
    );
    const [failed] = await system.deploymentsOf(seccomp);
    const { body: log } = await system.call<{ lines: string[] }>('GET', `/deployments/${failed.id}/logs`);
    assert.ok(!log.lines.join('\n').includes(secret.split('=')[1]), 'the profile was never read');
    await refusedCleanly(
      `dockerfile-${randomBytes(3).toString('hex')}`,
      {
        'docker-compose.yml': `services:\n  app:\n    build: { context: ./app, dockerfile: ../../../../../../etc/Dockerfile }\n`,
        'app/Dockerfile': `FROM ${BASE}\n`,
      },
      /services\.app\.build\.dockerfile: dockerfile .* climbs out of the build context/,
    );
  });

  it("refuses a build that would have dockerd fetch from the host's own network, or start FROM another project's image", async () => {
    // A service only the host reaches: dockerd itself fetches ADD <url>, from the host's network namespace.
    const requests: string[] = [];
    const server = createServer((req, res) => {
      requests.push(req.url ?? '');
      res.end(secret);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      await refusedCleanly(
        `fetch-${randomBytes(3).toString('hex')}`,
        {
          'docker-compose.yml': 'services:\n  app:\n    build: ./app\n',
          'app/Dockerfile': `FROM ${BASE}\nADD http://127.0.0.1:${port}/secret /secret\n`,
        },
        /services\.app\.build\.dockerfile: Dockerfile line 2: ADD http:\/\/127\.0\.0\.1:\d+\/secret: dockerd would fetch it from the host's network/,
      );
      await refusedCleanly(
        `from-${randomBytes(3).toString('hex')}`,
        {
          'docker-compose.yml': 'services:\n  app:\n    build: ./app\n',
          'app/Dockerfile': 'FROM td_victim_site_web\nCOPY --from=docker.io/library/td_victim_site_db / /\n',
        },
        [
          /Dockerfile line 1: FROM td_victim_site_web belongs to another project/,
          /Dockerfile line 2: COPY --from docker\.io\/library\/td_victim_site_db belongs to another project/,
        ],
      );
      assert.deepEqual(requests, [], 'nothing fetched from the host');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('takes acme/Site and acme/site as one repository: one project, one data directory', async () => {
    const repo = `case-${randomBytes(3).toString('hex')}`;
    const port = await freePort();
    const files = {
      'docker-compose.yml': `services:\n  web:\n    image: ${BASE}\n    command: ["httpd", "-f", "-p", "8080", "-h", "/"]\n    ports: ["127.0.0.1:${port}:8080"]\n    stop_grace_period: 1s\n`,
    };
    const first = await deploy(repo, files);
    assert.equal(first.status, 'succeeded', first.reason ?? '');
    // The git host is case-sensitive where GitHub is not: the mixed-case name reaches the same repository.
    const accepted = await system.call<{ deploymentId: string }>('POST', '/deployments', {
      org: ORG.toUpperCase(),
      repo: repo.toUpperCase(),
    });
    assert.equal(accepted.status, 202);
    const view = await eventually(async () => {
      const { body } = await system.call<DeploymentView>('GET', `/deployments/${accepted.body.deploymentId}`);
      return body.status === 'requested' ? undefined : body;
    }, 120_000);
    assert.equal(view.repo, repo);
    assert.equal(view.status, 'succeeded', view.reason ?? '');
    const objects = await composeObjects(composeProjectName(ORG, repo));
    assert.equal(objects.containers.length, 1, 'one project, its one container recreated');
    assert.deepEqual(
      await readdir(join(system.checkoutsDir)).then((dirs) => dirs.filter((dir) => dir.includes(repo))),
      [composeProjectName(ORG, repo)],
    );
  });

  it("records a failed build's reason as a fixed summary: its output, which can hold secrets, stays in the logs", async () => {
    const repo = `buildlog-${randomBytes(3).toString('hex')}`;
    const printed = `BUILD_OUTPUT_${randomBytes(6).toString('hex')}`;
    const view = await deploy(repo, {
      'docker-compose.yml': 'services:\n  app:\n    build: ./app\n',
      'app/Dockerfile': `FROM ${BASE}\nRUN echo ${printed} && false\n`,
    });
    assert.equal(view.status, 'failed');
    assert.match(
      view.reason ?? '',
      /^docker-compose up for td_boundary-org_buildlog-\w+ failed \(exit code \d+\): its output is in the deployment's logs$/,
    );
    const logs = await system.call<{ lines: string[] }>('GET', `/deployments/${view.id}/logs`);
    assert.ok(
      logs.body.lines.some((line) => line.includes(printed)),
      'the output is in the deployment logs',
    );
    const audit = await system.call<{ entries: { type: string }[] }>(
      'GET',
      `/audit?streamId=${encodeURIComponent(Deployment.streamId(view.id))}`,
    );
    assert.deepEqual(audit.body.entries.map(({ type }) => type).sort(), [
      'DeploymentFailed',
      'DeploymentRequested',
    ]);
    assert.ok(!JSON.stringify(audit.body).includes(printed), 'the output is in no event');
  });
});
