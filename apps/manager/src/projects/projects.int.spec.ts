import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventStreamClient } from '../../../../test/support/event-stream-client';
import { auth, ManagerApp } from '../../../../test/support/manager-app';
import { SourceLocks } from '../deployments/source-locks';

type Auth = Record<string, string>;
const bearer = (token: string): Auth => ({ Authorization: `Bearer ${token}` });

/**
 * Projects and roles against the real database, with no Worker enrolled: every deployment fails with a reason
 * and every route that would ask the Worker answers 409, which is how a test sees that the caller got past the
 * role check. Every deployment route is asked by the project's maintainer, its viewer and a stranger.
 */
describe('Manager REST: projects, roles and what each member sees (real database, no Worker)', () => {
  let manager: ManagerApp;
  let base: string;
  let ada: Auth; // maintainer of acme/site
  let vic: Auth; // viewer of acme/site
  let sam: Auth; // no role on acme/site
  let site: string; // a deployment of acme/site
  let other: string; // a deployment of acme/other, nobody's project but the admins'

  const http = () => manager.http();
  const member = async (name: string) =>
    bearer((await http().post('/members').set(auth).send({ name }).expect(201)).body.token);
  const grant = (repo: string, name: string, role: string) =>
    http().put(`/projects/acme/${repo}/members/${name}`).set(auth).send({ role });
  const deploy = (who: Auth, repo: string) =>
    http().post('/deployments').set(who).send({ org: 'acme', repo });
  /** Waits until the deployment's outcome is recorded (it fails: no Worker). */
  const settled = async (id: string) => {
    for (let tries = 0; tries < 100; tries++) {
      const { body } = await http().get(`/deployments/${id}`).set(auth).expect(200);
      if (body.status !== 'requested') return;
      await sleep(20);
    }
    throw new Error(`deployment ${id} did not settle`);
  };

  before(async () => {
    manager = await ManagerApp.start('projects', { ALLOWED_ORGS: 'acme' });
    await manager.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(manager.app.getHttpServer().address() as { port: number }).port}`;
    [ada, vic, sam] = [await member('ada'), await member('vic'), await member('sam')];
    site = (await deploy(auth, 'site').expect(202)).body.deploymentId;
    other = (await deploy(auth, 'other').expect(202)).body.deploymentId;
    await settled(site);
    await settled(other);
    await grant('site', 'ada', 'maintainer').expect(200, { member: 'ada', role: 'maintainer' });
    await grant('site', 'vic', 'viewer').expect(200, { member: 'vic', role: 'viewer' });
  });

  after(() => manager.stop());

  /** What a deployment that does not exist answers on `path` (with the id in it). */
  const missing = async (method: 'get' | 'post' | 'delete', path: (id: string) => string) => {
    const unknown = randomUUID();
    const { status, body } = await http()[method](path(unknown)).set(auth);
    return { status, message: String(body.message).replace(unknown, '<id>') };
  };
  const answer = async (who: Auth, method: 'get' | 'post' | 'delete', path: string, id = site) => {
    const { status, body } = await http()[method](path).set(who);
    return { status, message: String(body.message).replace(id, '<id>') };
  };

  const reads: [string, (id: string) => string][] = [
    ['the deployment', (id) => `/deployments/${id}`],
    ['its build log', (id) => `/deployments/${id}/logs`],
    ['its containers', (id) => `/deployments/${id}/containers`],
    ['its containers’ output', (id) => `/deployments/${id}/containers/logs`],
  ];
  const actions: [string, 'post' | 'delete', (id: string) => string][] = [
    ['redeploy', 'post', (id) => `/deployments/${id}/redeploy`],
    ['rollback', 'post', (id) => `/deployments/${id}/rollback`],
    ['stop', 'post', (id) => `/deployments/${id}/stop`],
    ['start', 'post', (id) => `/deployments/${id}/start`],
    ['restart', 'post', (id) => `/deployments/${id}/restart`],
    ['remove', 'delete', (id) => `/deployments/${id}`],
  ];

  it('lets the maintainer and the viewer read a project’s deployment, and answers a stranger as for none', async () => {
    for (const [what, path] of reads) {
      const none = await missing('get', path);
      assert.equal(none.status, 404, what);
      assert.deepEqual(await answer(sam, 'get', path(site)), none, `a stranger asking for ${what}`);
      assert.deepEqual(
        await answer(ada, 'get', path(other), other),
        none,
        `the maintainer asking for ${what} of another project`,
      );
      for (const [who, caller] of [
        ['maintainer', ada],
        ['viewer', vic],
        ['admin', auth],
      ] as const) {
        const { status, message } = await answer(caller, 'get', path(site));
        // 200, or 409 where the Worker would be asked: either way past the role check.
        assert.ok(status === 200 || status === 409, `${who} asking for ${what}: ${status} ${message}`);
      }
    }
  });

  it('lets only the maintainer act; the viewer is told which role it takes, a stranger gets what none gets', async () => {
    for (const [what, method, path] of actions) {
      const none = await missing(method, path);
      assert.equal(none.status, 404, what);
      assert.deepEqual(await answer(sam, method, path(site)), none, `a stranger's ${what}`);
      assert.deepEqual(
        await answer(ada, method, path(other), other),
        none,
        `the maintainer's ${what} of another project`,
      );
      const viewer = await answer(vic, method, path(site));
      assert.equal(viewer.status, 403, `the viewer's ${what}`);
      assert.equal(viewer.message, 'this needs the maintainer role on acme/site: you are its viewer');
      const maintainer = await answer(ada, method, path(site));
      assert.ok(
        ![401, 403, 404].includes(maintainer.status),
        `the maintainer's ${what}: ${maintainer.status} ${maintainer.message}`,
      );
    }
    // The redeploy went through: a new attempt in the maintainer's name.
    const { body } = await http().get('/deployments?limit=500').set(ada).expect(200);
    const mine = body.find((view: { requestedBy: string }) => view.requestedBy === 'member:ada');
    assert.equal(mine?.repo, 'site');
    await settled(mine.id);
  });

  it('lists to each member the deployments and locks of their projects only, now and as of a position', async () => {
    const ids = async (who: Auth, query = '') =>
      (await http().get(`/deployments?limit=500${query}`).set(who).expect(200)).body.map(
        ({ repo }: { repo: string }) => repo,
      );
    assert.ok((await ids(ada)).length >= 1);
    assert.deepEqual([...new Set(await ids(ada))], ['site']);
    assert.deepEqual([...new Set(await ids(vic))], ['site']);
    assert.deepEqual(await ids(sam), []);
    assert.deepEqual([...new Set(await ids(auth))].sort(), ['other', 'site']);
    const position = (await http().get('/audit?limit=1').set(auth).expect(200)).body.entries[0].position;
    assert.deepEqual([...new Set(await ids(vic, `&asOf=${position}`))], ['site']);
    assert.deepEqual(await ids(sam, `&asOf=${position}`), []);

    const locks = manager.get(SourceLocks);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const lock = (repo: string) =>
      locks.run({ org: 'acme', repo, deploymentId: randomUUID(), requestedBy: 'admin' }, () => held);
    const running = [lock('site'), lock('other')];
    const repos = async (who: Auth) =>
      (await http().get('/deployments/locks').set(who).expect(200)).body.map(
        ({ repo }: { repo: string }) => repo,
      );
    assert.deepEqual(await repos(vic), ['site']);
    assert.deepEqual(await repos(sam), []);
    assert.deepEqual((await repos(auth)).sort(), ['other', 'site']);
    release();
    await Promise.all(running);
  });

  it('lets a member deploy only as maintainer, or a new repository where the organisation allows it', async () => {
    const refused = await deploy(sam, 'site');
    assert.equal(refused.status, 403);
    assert.equal(
      refused.body.message,
      'deploying acme/site needs the maintainer role on it, or member deploys turned on for "acme" by an admin',
    );
    // The same words for a repository that is nobody's project: the answer says nothing of what exists.
    assert.equal(
      (await deploy(sam, 'nothing-here')).body.message,
      refused.body.message.replace('site', 'nothing-here'),
    );
    assert.match((await deploy(vic, 'site').expect(403)).body.message, /you are its viewer/);
    const byAda = (await deploy(ada, 'site').expect(202)).body.deploymentId;
    await settled(byAda);
    // An Idempotency-Key is the caller's own: the admin's same key makes the admin's own deployment.
    const keyed = (who: Auth) =>
      http()
        .post('/deployments')
        .set(who)
        .set('Idempotency-Key', 'same-key')
        .send({ org: 'acme', repo: 'site' });
    const adasKeyed = (await keyed(ada).expect(202)).body.deploymentId;
    assert.equal(
      (await keyed(ada).expect(202)).body.deploymentId,
      adasKeyed,
      'repeated: the same deployment',
    );
    const adminsKeyed = (await keyed(auth).expect(202)).body.deploymentId;
    assert.notEqual(adminsKeyed, adasKeyed);
    await settled(adasKeyed);
    await settled(adminsKeyed);

    await http().put('/organisations/acme/member-deploys').set(sam).send({ allowed: true }).expect(403);
    await http().put('/organisations/acme/member-deploys').set(auth).send({ allowed: 'yes' }).expect(400);
    await http().put('/organisations/nope/member-deploys').set(auth).send({ allowed: true }).expect(404);
    await http()
      .put('/organisations/acme/member-deploys')
      .set(auth)
      .send({ allowed: true })
      .expect(200, { org: 'acme', memberDeploys: true });
    await http().put('/organisations/acme/member-deploys').set(auth).send({ allowed: true }).expect(409);
    const orgs = (await http().get('/organisations').set(auth).expect(200)).body;
    assert.equal(orgs.find(({ org }: { org: string }) => org === 'acme').memberDeploys, true);

    const claimed = (await deploy(sam, 'Sams-App').expect(202)).body.deploymentId;
    await settled(claimed);
    const project = (await http().get('/projects/acme/sams-app').set(sam).expect(200)).body;
    assert.equal(project.access, 'maintainer');
    assert.deepEqual(
      project.members.map(({ member, role, grantedBy }: Record<string, string>) => [member, role, grantedBy]),
      [['sam', 'maintainer', 'member:sam']],
    );
    assert.equal(project.latest.deploymentId, claimed);
    assert.equal(project.latest.status, 'failed');
    const taken = await deploy(sam, 'site');
    assert.equal(taken.status, 409);
    assert.equal(taken.body.message, 'acme/site is already a project: ask an admin for a role on it');
    assert.equal((await deploy(vic, 'sams-app')).status, 409, 'claimed: it is a project now');

    // Two members deploying one new repository at once: one becomes its maintainer, the other is told.
    const race = await Promise.all([deploy(vic, 'race'), deploy(sam, 'race')]);
    assert.deepEqual(race.map(({ status }) => status).sort(), [202, 409]);
    const winner = (await http().get('/projects/acme/race').set(auth).expect(200)).body.members;
    assert.equal(winner.length, 1);
    await http().delete(`/projects/acme/race/members/${winner[0].member}`).set(auth).expect(204);
    await Promise.all(
      race.filter(({ status }) => status === 202).map(({ body }) => settled(body.deploymentId)),
    );
    await http().put('/organisations/acme/member-deploys').set(auth).send({ allowed: false }).expect(200);
    assert.equal((await deploy(sam, 'another')).status, 403);
  });

  it('lists each caller their projects, answers one they hold no role on as none, and records grants with their actor', async () => {
    const repos = async (who: Auth) =>
      (await http().get('/projects').set(who).expect(200)).body.map(
        ({ repo, access }: Record<string, string>) => `${repo}:${access}`,
      );
    assert.deepEqual(await repos(ada), ['site:maintainer']);
    assert.deepEqual(await repos(vic), ['site:viewer']);
    const all = await repos(auth);
    assert.ok(all.includes('site:admin') && all.includes('other:admin'), all.join());
    const none = await http().get('/projects/acme/no-such-project').set(sam);
    const hidden = await http().get('/projects/acme/site').set(sam);
    assert.deepEqual(
      [hidden.status, hidden.body.message],
      [none.status, String(none.body.message).replace('no-such-project', 'site')],
    );
    assert.equal(none.status, 404);
    const siteView = (await http().get('/projects/ACME/Site').set(vic).expect(200)).body;
    assert.deepEqual(
      siteView.members.map(({ member, role, grantedBy }: Record<string, string>) => [
        member,
        role,
        grantedBy,
      ]),
      [
        ['ada', 'maintainer', 'admin'],
        ['vic', 'viewer', 'admin'],
      ],
    );

    // Refusals: members cannot grant; unknown member, bad role, disallowed organisation, a role held already.
    await http().put('/projects/acme/site/members/sam').set(ada).send({ role: 'viewer' }).expect(403);
    assert.match(
      (await grant('site', 'nobody', 'viewer').expect(404)).body.message,
      /member "nobody" does not exist/,
    );
    assert.match(JSON.stringify((await grant('site', 'sam', 'owner').expect(400)).body.message), /role/);
    assert.match(
      (await http().put('/projects/evil/site/members/sam').set(auth).send({ role: 'viewer' }).expect(403))
        .body.message,
      /not on the allow-list/,
    );
    assert.match((await grant('site', 'vic', 'viewer').expect(409)).body.message, /already viewer/);
    await http().put('/projects/acme/site/members/NotAName!').set(auth).send({ role: 'viewer' }).expect(400);
    await http().delete('/projects/acme/site/members/sam').set(auth).expect(404);

    const audit = (
      await http().get('/audit?type=ProjectRoleGranted&streamId=project-acme/site').set(auth).expect(200)
    ).body;
    assert.deepEqual(
      audit.entries.map(({ actor, data }: { actor: string; data: { member: string } }) => [
        actor,
        data.member,
      ]),
      [
        ['admin', 'vic'],
        ['admin', 'ada'],
      ],
    );
  });

  it('gives a member the stats of their own projects only, whichever their role', async () => {
    const stats = async (who: Auth) => (await http().get('/stats').set(who).expect(200)).body;
    const [mine, admins, strangers] = [await stats(vic), await stats(auth), await stats(sam)];
    assert.deepEqual(await stats(ada), mine, "a maintainer's are the same as a viewer's");
    const siteCount = (await http().get('/deployments?limit=500').set(vic).expect(200)).body.length;
    assert.equal(mine.overall.requested, siteCount);
    assert.equal(mine.overall.failed, siteCount);
    assert.deepEqual(
      mine.perOrg.map(({ org, requested }: { org: string; requested: number }) => [org, requested]),
      [['acme', siteCount]],
    );
    assert.equal(
      mine.perDay.reduce((sum: number, { requested }: { requested: number }) => sum + requested, 0),
      siteCount,
    );
    assert.ok(admins.overall.requested > siteCount);
    const samsCount = (await http().get('/deployments?limit=500').set(sam).expect(200)).body.length;
    assert.equal(strangers.overall.requested, samsCount);
  });

  it('shows a member the audit entries of their projects, containers and account, and nobody else’s', async () => {
    const entries = async (who: Auth, query = '') =>
      (await http().get(`/audit?limit=500${query}`).set(who).expect(200)).body.entries as {
        streamId: string;
        type: string;
        data: Record<string, unknown>;
      }[];
    const vics = await entries(vic);
    const streams = new Set(vics.map(({ streamId }) => streamId));
    assert.ok(streams.has(`deployment-${site}`));
    assert.ok(streams.has('project-acme/site'));
    assert.ok(streams.has('member-vic'));
    assert.ok(!streams.has(`deployment-${other}`), 'another project’s deployment');
    assert.ok(!streams.has('member-ada') && !streams.has('allow-list'), [...streams].join());
    assert.ok(vics.every(({ streamId }) => /^(deployment-|project-acme\/site$|member-vic$)/.test(streamId)));
    // Filters narrow what the member may see; they never widen it.
    assert.deepEqual(await entries(vic, `&streamId=deployment-${other}`), []);
    assert.deepEqual(await entries(sam, `&streamId=deployment-${site}`), []);
    assert.equal((await entries(vic, '&type=MemberAdded')).length, 1);
    await http().get('/audit/verify').set(vic).expect(403);
    // A maintainer sees the same of the project, and their own account instead of the viewer's.
    const adas = await entries(ada);
    const ofProject = (list: typeof vics) =>
      list
        .filter(({ streamId }) => !streamId.startsWith('member-'))
        .map(({ streamId, type }) => streamId + type);
    assert.deepEqual(ofProject(adas), ofProject(vics));
    assert.ok(adas.every(({ streamId }) => /^(deployment-|project-acme\/site$|member-ada$)/.test(streamId)));
    await http().get('/audit/verify').set(ada).expect(403);
  });

  it('streams a member the live events of their projects only, role changes included, replays by the roles now', async () => {
    const head = (await http().get('/audit?limit=1').set(auth).expect(200)).body.entries[0].position;
    const open = (who: Auth) => EventStreamClient.open(`${base}/events?after=${head}`, who);
    const [vicStream, samStream, adminStream, adaStream] = [
      await open(vic),
      await open(sam),
      await open(auth),
      await open(ada),
    ];
    const type = (wanted: string) => (frame: { data: unknown }) =>
      (frame.data as { type?: string }).type === wanted;
    const seen = (stream: EventStreamClient) =>
      stream.entries().map(({ type, streamId }) => `${type} ${streamId}`);
    try {
      await deploy(auth, 'other').expect(202);
      const again = (await deploy(auth, 'site').expect(202)).body.deploymentId;
      await settled(again);
      await grant('other', 'sam', 'viewer').expect(200);
      await samStream.await(type('ProjectRoleGranted'));
      const whileViewer = (await deploy(auth, 'other').expect(202)).body.deploymentId;
      await settled(whileViewer);
      await http().delete('/projects/acme/other/members/sam').set(auth).expect(204);
      await grant('site', 'sam', 'viewer').expect(200);
      await adminStream.await(type('ProjectRoleGranted'), 2);
      await vicStream.await(type('ProjectRoleGranted'));
      await samStream.await(type('ProjectRoleGranted'), 2);
      assert.deepEqual(seen(vicStream), [
        `DeploymentRequested deployment-${again}`,
        `DeploymentFailed deployment-${again}`,
        'ProjectRoleGranted project-acme/site',
      ]);
      await adaStream.await(type('ProjectRoleGranted'));
      assert.deepEqual(seen(adaStream), seen(vicStream), "the maintainer's stream is the viewer's");
      // Sam sees his own grant on acme/other, its deployment while he was its viewer, his revocation, then
      // acme/site's grant: none of acme/site's deployments from before it.
      assert.deepEqual(seen(samStream), [
        'ProjectRoleGranted project-acme/other',
        `DeploymentRequested deployment-${whileViewer}`,
        `DeploymentFailed deployment-${whileViewer}`,
        'ProjectRoleRevoked project-acme/other',
        'ProjectRoleGranted project-acme/site',
      ]);
      // Replayed from the same place, the stream shows what his roles now let him see, as GET /audit does:
      // acme/site's deployments, nothing of acme/other's.
      const replay = await open(sam);
      try {
        await replay.await(type('ProjectRoleGranted'), 2);
        assert.deepEqual(seen(replay), [
          `DeploymentRequested deployment-${again}`,
          `DeploymentFailed deployment-${again}`,
          'ProjectRoleGranted project-acme/other',
          'ProjectRoleRevoked project-acme/other',
          'ProjectRoleGranted project-acme/site',
        ]);
      } finally {
        replay.close();
      }
    } finally {
      for (const stream of [vicStream, samStream, adminStream, adaStream]) stream.close();
    }
    await http().delete('/projects/acme/site/members/sam').set(auth).expect(204);
  });

  it('ends a role with its revocation, and with the member: a new member of the same name holds nothing', async () => {
    await http().get(`/deployments/${site}`).set(vic).expect(200);
    await http().delete('/projects/acme/site/members/vic').set(auth).expect(204);
    await http().get(`/deployments/${site}`).set(vic).expect(404);
    assert.deepEqual((await http().get('/projects').set(vic).expect(200)).body, []);

    await http().delete('/members/ada').set(auth).expect(204);
    const newAda = await member('ada');
    await http().get(`/deployments/${site}`).set(newAda).expect(404);
    const members = (await http().get('/projects/acme/site').set(auth).expect(200)).body.members;
    assert.deepEqual(members, [], 'the removed member’s grant is no one’s');
  });
});
