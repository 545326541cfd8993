import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dockerfileProblems } from './dockerfile';

const PROJECT = 'td_acme_site';

describe('what a Dockerfile may ask of dockerd', () => {
  let dir: string;
  let n = 0;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dockerfile-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  async function problems(text: string): Promise<string[]> {
    const file = join(dir, `Dockerfile.${n++}`);
    await writeFile(file, text);
    return dockerfileProblems(file, PROJECT);
  }

  it('admits an ordinary multi-stage Dockerfile', async () => {
    assert.deepEqual(
      await problems(
        [
          '# escape=\\',
          'ARG VERSION=1',
          'FROM testausdeploy/busybox:latest AS build',
          'RUN --mount=type=cache,target=/cache echo build \\',
          '    && echo more',
          `COPY --from=build /bin/sh /sh`,
          `FROM ${PROJECT}_base:\${VERSION}`,
          'COPY --from=build /etc/passwd /passwd',
          'ADD app.tar.gz /app/',
          'RUN --network=none true',
          'HEALTHCHECK CMD true',
          '',
        ].join('\n'),
      ),
      [],
    );
  });

  it("refuses what reaches the host's network or other projects' images, naming the line", async () => {
    assert.deepEqual(
      await problems(
        [
          '# syntax=docker/dockerfile:1',
          'FROM td_victim_site_web',
          'ADD http://127.0.0.1:3000/health /h',
          'add https://169.254.169.254/latest/meta-data/ /m',
          'COPY --from=docker.io/library/td_victim_site_web / /',
          'RUN --network=host true',
          'RUN --mount=type=secret,id=token cat /run/secrets/token',
          'RUN --mount=type=bind,from=td_victim_site_web,target=/v true',
          'FROM ${BASE}',
          'ONBUILD ADD git@github.com:acme/secret.git /s',
          '',
        ].join('\n'),
      ),
      [
        "line 1: # syntax= is not allowed: it runs a builder frontend of the file's choosing",
        "line 2: FROM td_victim_site_web belongs to another project: images named td_… are their project's own",
        "line 3: ADD http://127.0.0.1:3000/health: dockerd would fetch it from the host's network; download it in a RUN step, or commit it",
        "line 4: ADD https://169.254.169.254/latest/meta-data/: dockerd would fetch it from the host's network; download it in a RUN step, or commit it",
        "line 5: COPY --from docker.io/library/td_victim_site_web belongs to another project: images named td_… are their project's own",
        "line 6: RUN --network=host is not allowed: build steps use the build's network",
        'line 7: RUN --mount=type=secret is not allowed: the Worker hands builds no keys or secrets',
        "line 8: RUN --mount from td_victim_site_web belongs to another project: images named td_… are their project's own",
        'line 9: FROM ${BASE} is named by a variable: name the image itself',
        "line 10: ADD git@github.com:acme/secret.git: dockerd would fetch it from the host's network; download it in a RUN step, or commit it",
      ],
    );
  });

  it('follows continuation lines and a changed escape character, as docker does', async () => {
    assert.deepEqual(
      await problems(
        ['# escape=`', 'FROM testausdeploy/busybox', 'ADD `', '  http://127.0.0.1/x /x', ''].join('\n'),
      ),
      [
        "line 3: ADD http://127.0.0.1/x: dockerd would fetch it from the host's network; download it in a RUN step, or commit it",
      ],
    );
  });

  it('refuses a giant Dockerfile without reading it', async () => {
    assert.deepEqual(await problems(`FROM busybox\n${'#'.repeat(1024 * 1024)}\n`), [
      'is larger than 1024 KiB',
    ]);
  });
});
