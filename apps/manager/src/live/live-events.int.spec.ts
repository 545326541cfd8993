import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EventStore } from '@testausdeploy/events';
import { EventStreamClient, Frame } from '../../../../test/support/event-stream-client';
import { auth, ManagerApp, TEST_TOKEN } from '../../../../test/support/manager-app';
import { eventually } from '../../../../test/support/ports';
import { Stopping } from '../http/stopping';

type Auth = Record<string, string>;
const bearer = (token: string): Auth => ({ Authorization: `Bearer ${token}` });
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBeYh6rAnYzDx1kWZjB6Hk0Zg8eV5m0hWZ2Qm5q3l5aT alice@laptop';
const limits = { cpus: 1, memoryMiB: 512, diskGiB: 5 };
const BACKUP = 'b-00112233aabbccdd';
const streamOf = (frame: Frame) => (frame.data as { streamId: string }).streamId;

/*
 * `GET /events` against a real Manager and database, read as EventSource reads it. No Worker is enrolled, so a
 * member's container request ends `failed`: its events are in the log, owned by the member, which is all the
 * filtering needs.
 */
describe('Manager REST: live events (server-sent, filtered, resumable; real database)', () => {
  let manager: ManagerApp;
  let base: string;
  let alice: Auth;
  let bob: Auth;
  const open: EventStreamClient[] = [];

  const member = async (name: string) =>
    bearer((await manager.http().post('/members').set(auth).send({ name }).expect(201)).body.token);
  const follow = async (who: Auth, query = '', headers: Auth = {}) => {
    const client = await EventStreamClient.open(`${base}/events${query}`, { ...who, ...headers });
    open.push(client);
    return client;
  };
  const createBox = (who: Auth, name: string) =>
    manager
      .http()
      .post('/containers')
      .set(who)
      .send({ name, limits, sshKeys: [KEY] })
      .expect(409);
  const head = () => manager.get(EventStore).headPosition();

  before(async () => {
    manager = await ManagerApp.start('live-events');
    await manager.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(manager.app.getHttpServer().address() as { port: number }).port}`;
    [alice, bob] = [await member('alice'), await member('bob')];
  });

  after(async () => {
    for (const client of open) client.close();
    await manager.stop();
  });

  it('answers text/event-stream from the head, and says where it starts', async () => {
    const start = await head();
    const stream = await follow(auth);
    assert.equal(stream.status, 200);
    const [ready] = await stream.await((frame) => frame.event === 'ready');
    assert.deepEqual(ready, { id: String(start), event: 'ready', data: { after: start } });
    await manager.http().post('/members').set(auth).send({ name: 'carol' }).expect(201);
    const [added] = await stream.await((frame) => frame.event === 'message');
    assert.equal(added.id, String(start + 1));
    assert.equal((added.data as { type: string }).type, 'MemberAdded');
    stream.close();
  });

  it("gives a member the events of their own containers only, never another member's or an admin's", async () => {
    const start = await head();
    const [aliceStream, bobStream, adminStream] = [
      await follow(alice, `?after=${start}`),
      await follow(bob, `?after=${start}`),
      await follow(auth, `?after=${start}`),
    ];
    await createBox(alice, 'alpha');
    await createBox(bob, 'beta');
    await manager.http().post('/organisations').set(auth).send({ org: 'live-events-org' }).expect(201);
    await manager.http().post('/members').set(auth).send({ name: 'dave' }).expect(201);
    // Alice's box goes (recorded as the Worker's answer would have it), and Bob takes its name: the stream of
    // `container-alpha` now holds both incarnations.
    const cause = { actor: 'member:alice', correlationId: 'c', causationId: null };
    const exported = {
      type: 'BackupExported',
      data: {
        name: 'alpha',
        id: BACKUP,
        backup: 'nightly',
        file: 'f',
        bytes: 1,
        createdAt: new Date().toISOString(),
      },
    };
    await manager
      .get(EventStore)
      .append('container-alpha', 2, [exported, { type: 'ContainerDeleted', data: { name: 'alpha' } }], cause);
    await createBox(bob, 'alpha');
    // Alice deletes the backup of her `alpha` after Bob took the name: it is written to the same stream.
    await manager
      .get(EventStore)
      .append(
        'container-alpha',
        6,
        [{ type: 'BackupDeleted', data: { name: 'alpha', id: BACKUP, backup: 'nightly' } }],
        cause,
      );
    const end = await head();
    await adminStream.await((frame) => Number(frame.id) === end);
    const all = adminStream.entries();
    assert.deepEqual(
      all.map((entry) => entry.position),
      Array.from({ length: end - start }, (_, index) => start + 1 + index),
      'the admin sees every event, in order, once',
    );
    const alphaAgain = all.find(
      (entry) =>
        entry.streamId === 'container-alpha' &&
        entry.type === 'ContainerRequested' &&
        entry.position > start + 2,
    );
    assert.ok(alphaAgain, "Bob's request for the name is in the log");

    // What each should see, decided by the incarnation an event belongs to; a last box of each comes after
    // everything else, so once it arrives anything wrongly let through would have arrived before it.
    const alpha = (entry: (typeof all)[number]) => entry.streamId === 'container-alpha';
    const backupDeleted = (entry: (typeof all)[number]) => entry.type === 'BackupDeleted';
    const aliceShould = all.filter(
      (entry) => alpha(entry) && (entry.position < alphaAgain.position || backupDeleted(entry)),
    );
    const bobShould = all.filter(
      (entry) =>
        entry.streamId === 'container-beta' ||
        (alpha(entry) && entry.position >= alphaAgain.position && !backupDeleted(entry)),
    );
    await createBox(alice, 'alice-last');
    await createBox(bob, 'bob-last');
    const sees = async (stream: EventStreamClient, last: string) => {
      const [request] = await stream.await((frame) => frame.event === 'message' && streamOf(frame) === last);
      await stream.await((frame) => Number(frame.id) === Number(request.id) + 1); // its creation failed
      return stream.entries().filter((entry) => !entry.streamId.endsWith('-last'));
    };
    const positions = (entries: { position: number }[]) => entries.map((entry) => entry.position);
    assert.deepEqual(positions(await sees(aliceStream, 'container-alice-last')), positions(aliceShould));
    // Read back later, when the log already holds Bob's `alpha` too: the same.
    const aliceLater = await follow(alice, `?after=${start}`);
    assert.deepEqual(positions(await sees(aliceLater, 'container-alice-last')), positions(aliceShould));
    assert.ok(aliceShould.some((entry) => entry.type === 'ContainerDeleted'));
    assert.ok(aliceShould.some(backupDeleted), "her backup's deletion, though Bob's `alpha` came in between");
    assert.deepEqual(positions(await sees(bobStream, 'container-bob-last')), positions(bobShould));
    assert.deepEqual([...new Set(bobShould.map((entry) => entry.type))].sort(), [
      'ContainerCreationFailed',
      'ContainerRequested',
    ]);
  });

  it('resumes after Last-Event-ID (or ?after=): nothing missed, nothing twice', async () => {
    const first = await follow(auth);
    const [ready] = await first.await((frame) => frame.event === 'ready');
    const start = Number(ready.id);
    for (const name of ['erin', 'frank']) {
      await manager.http().post('/members').set(auth).send({ name }).expect(201);
    }
    const [, seen] = await first.await((frame) => frame.event === 'message', 2);
    first.close();
    // While no one listens, more happens.
    for (const name of ['grace', 'heidi', 'ivan']) {
      await manager.http().post('/members').set(auth).send({ name }).expect(201);
    }
    const end = await head();
    const resumed = await follow(auth, '', { 'Last-Event-ID': seen.id as string });
    await resumed.await((frame) => Number(frame.id) === end);
    const positions = resumed.entries().map((entry) => entry.position);
    assert.deepEqual(
      positions,
      Array.from({ length: end - Number(seen.id) }, (_, i) => Number(seen.id) + 1 + i),
    );
    assert.ok(Number(seen.id) >= start + 2);
    const byQuery = await follow(auth, `?after=${start}`);
    await byQuery.await((frame) => Number(frame.id) === end);
    assert.equal(byQuery.entries()[0].position, start + 1);
    assert.equal(new Set(byQuery.entries().map((entry) => entry.position)).size, byQuery.entries().length);
  });

  it('continues from the end after a position past it, and holds at most 8 streams per caller', async () => {
    const end = await head();
    const past = await follow(auth, `?after=${end + 1000}`);
    const [ready] = await past.await((frame) => frame.event === 'ready');
    assert.deepEqual(ready.data, { after: end });
    past.close();
    const kim = await member('kim');
    const eight = await Promise.all(Array.from({ length: 8 }, () => follow(kim)));
    await Promise.all(eight.map((one) => one.await((frame) => frame.event === 'ready')));
    const ninth = await manager.http().get('/events').set(kim).expect(429);
    assert.match(ninth.body.message, /8 live event streams open.*close one/);
    eight.forEach((one) => one.close());
    const again = await eventually(async () => {
      const one = await follow(kim);
      if (one.status === 200) return one;
      return undefined;
    }, 10_000);
    await again.await((frame) => frame.event === 'ready');
    again.close();
  });

  it('refuses a bad resume position and a missing token with a reason', async () => {
    const bad = await manager.http().get('/events').set(auth).set('Last-Event-ID', 'abc').expect(400);
    assert.match(String(bad.body.message), /Last-Event-ID header/);
    const negative = await manager.http().get('/events?after=-1').set(auth).expect(400);
    assert.match(String(negative.body.message), /after/);
    const none = await manager.http().get('/events').expect(401);
    assert.match(none.body.message, /Bearer/);
  });

  it("gives a member their own account's events, and none of a former member's of the same name", async () => {
    const start = await head();
    const former = await member('nina');
    await manager.http().post('/tokens').set(former).send({ name: 'old laptop' }).expect(201);
    await manager.http().delete('/members/nina').set(auth).expect(204);
    const nina = await member('nina');
    await manager.http().post('/tokens').set(nina).send({ name: 'new laptop' }).expect(201);
    const stream = await follow(nina, `?after=${start}`);
    await stream.await((frame) => (frame.data as { type?: string }).type === 'MemberTokenIssued');
    await manager.http().post('/tokens').set(nina).send({ name: 'phone' }).expect(201);
    await stream.await((frame) => (frame.data as { type?: string }).type === 'MemberTokenIssued', 2);
    assert.deepEqual(
      stream.entries().map(({ type, data }) => `${type} ${String(data.label ?? '')}`.trim()),
      ['MemberAdded', 'MemberTokenIssued new laptop', 'MemberTokenIssued phone'],
    );
    stream.close();
  });

  it('ends when the caller no longer gets in: a signed-out session, a removed member', async () => {
    const signIn = await manager.http().post('/session').send({ token: TEST_TOKEN }).expect(201);
    const cookie = String(signIn.headers['set-cookie']).split(';')[0];
    const session = await follow({ Cookie: cookie });
    await session.await((frame) => frame.event === 'ready');
    await manager.http().delete('/session').set('Cookie', cookie).set('Origin', base).expect(204);
    const [ended] = await session.await((frame) => frame.event === 'end');
    assert.match((ended.data as { reason: string }).reason, /session has ended/);
    await session.closedByServer();

    const erin = await member('judy');
    const stream = await follow(erin);
    await stream.await((frame) => frame.event === 'ready');
    await manager.http().delete('/members/judy').set(auth).expect(204);
    const [gone] = await stream.await((frame) => frame.event === 'end');
    assert.match((gone.data as { reason: string }).reason, /token is not valid/);
    await stream.closedByServer();
    assert.equal(stream.entries().length, 0, 'the member saw no member event');
  });

  // Last: the streams are stopping from here on.
  it('refuses a stream asked for once the Manager is stopping, closing the connection so the stop is not held', async () => {
    const stream = await follow(auth);
    await stream.await((frame) => frame.event === 'ready');
    manager.get(Stopping).beforeApplicationShutdown();
    await stream.closedByServer();
    const late = await fetch(`${base}/events`, { headers: auth });
    assert.equal(late.status, 503);
    assert.equal(late.headers.get('connection'), 'close');
    assert.match(((await late.json()) as { message: string }).message, /stopping/);
  });
});
