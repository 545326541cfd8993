import assert from 'node:assert/strict';
import { request as httpRequest, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CommandContext, IcpData, Identity } from '@testausdeploy/icp';
import { IcpFixture, standInCapacity, until } from '../../../../test/support/icp';
import { auth, ManagerApp } from '../../../../test/support/manager-app';
import { Stopping } from '../http/stopping';

const ORG = 'example-org';

describe('Manager REST: container logs through a Worker (real ICP, a Worker that prints until cancelled)', () => {
  let manager: ManagerApp;
  let icp: IcpFixture;
  let port: number;
  /** What the Worker was asked, and whether each reading has ended (and why). */
  const readings: { data: IcpData<'containerLogs'>; ended: boolean; reason?: unknown }[] = [];

  async function containerLogs(data: IcpData<'containerLogs'>, { progress, signal }: CommandContext) {
    const reading: (typeof readings)[number] = { data, ended: false };
    readings.push(reading);
    if (!data.follow) {
      ['web | first', 'db | second'].forEach(progress);
      return { lines: 2, dropped: 0 };
    }
    let lines = 0;
    const timer = setInterval(() => progress(`web | tick ${++lines}`), 20);
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    clearInterval(timer);
    Object.assign(reading, { ended: true, reason: signal.reason });
    return { lines, dropped: 0 };
  }

  /** Deploys `repo` through the API (the Worker answers `deploy` at once) and waits for the outcome. */
  async function deploy(repo: string): Promise<string> {
    const res = await manager.http().post('/deployments').set(auth).send({ org: ORG, repo });
    const { deploymentId } = res.body as { deploymentId: string };
    for (;;) {
      const view = await manager.http().get(`/deployments/${deploymentId}`).set(auth);
      if (view.body.status !== 'requested') return deploymentId;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  let deployed: string;

  before(async () => {
    manager = await ManagerApp.start('container-logs', { ALLOWED_ORGS: ORG });
    icp = await IcpFixture.create();
    const [worker] = await icp.identities('worker');
    const managerKey = manager.app.get(Identity);
    ({ port } = await icp.server(worker, () => [managerKey.fingerprint], {
      capacity: async () => standInCapacity(),
      containerLogs,
      deploy: async (data) => {
        if (data.repo === 'broken') throw new Error('compose failed');
        return {
          commit: 'a'.repeat(40),
          composeDigest: `sha256:${'b'.repeat(64)}`,
          containers: [],
          diskBytes: 0,
        };
      },
    }));
    const enrol = (body: object) => manager.http().post('/nodes').set(auth).send(body).expect(201);
    await enrol({
      name: 'guardian-1',
      kind: 'guardian',
      url: 'wss://127.0.0.1:9',
      fingerprint: 'c'.repeat(64),
    });
    await enrol({
      name: 'worker-1',
      kind: 'worker',
      url: `wss://127.0.0.1:${port}`,
      fingerprint: worker.fingerprint,
      guardian: 'guardian-1',
    });
    // Placement waits for the Worker's first capacity report.
    for (let measured = false; !measured; await new Promise((resolve) => setTimeout(resolve, 50))) {
      measured = (await manager.http().get('/nodes/worker-1').set(auth)).body.capacity !== null;
    }
    const server = manager.app.getHttpServer() as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    deployed = await deploy('site');
  });

  after(async () => {
    await icp?.cleanUp();
    await manager?.stop();
  });

  /** `GET …/containers/logs?follow=true&tail=0` of the deployed project, its body collected as it comes. */
  const follow = async () => {
    const { port } = (manager.app.getHttpServer() as Server).address() as AddressInfo;
    const request = httpRequest({
      host: '127.0.0.1',
      port,
      path: `/deployments/${deployed}/containers/logs?follow=true&tail=0`,
      headers: auth,
    });
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      request.on('response', resolve).on('error', reject).end();
    });
    const body = { text: '' };
    response.on('data', (chunk: Buffer) => (body.text += chunk.toString()));
    response.on('error', () => undefined);
    return { request, response, body };
  };

  it('answers { lines } without follow, passing service and tail to the Worker', async () => {
    const id = deployed;
    const res = await manager.http().get(`/deployments/${id}/containers/logs?service=web&tail=5`).set(auth);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body, { lines: ['web | first', 'db | second'] });
    assert.deepEqual(readings.at(-1)?.data, {
      org: ORG,
      repo: 'site',
      service: 'web',
      tail: 5,
      follow: false,
    });
  });

  it('refuses with 409 unless the project is deployed, 404 for no deployment, 400 for a bad query', async () => {
    const failed = await deploy('broken');
    const refused = await manager.http().get(`/deployments/${failed}/containers/logs`).set(auth);
    assert.equal(refused.status, 409);
    assert.match(refused.body.message, /is failed: it has no containers to read/);
    await manager.http().get(`/deployments/${crypto.randomUUID()}/containers/logs`).set(auth).expect(404);
    const id = deployed;
    await manager.http().get(`/deployments/${id}/containers/logs?tail=5000`).set(auth).expect(400);
    await manager.http().get(`/deployments/${id}/containers/logs?follow=yes`).set(auth).expect(400);
  });

  it('streams text/plain with follow=true, and a client that disconnects stops the reading on the Worker', async () => {
    const { request, response, body } = await follow();
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'text/plain; charset=utf-8');
    await until(() => body.text.split('\n').length > 5);
    assert.match(body.text, /^web \| tick 1\nweb \| tick 2\nweb \| tick 3\n/);
    const reading = readings.at(-1)!;
    assert.equal(reading.data.follow, true);
    assert.equal(reading.ended, false);
    request.destroy();
    await until(() => reading.ended);
    assert.equal(reading.reason, 'the client cancelled it');
  });

  // Last: the Manager is stopping from here on.
  it('ends a followed stream when the Manager stops, saying so, and refuses a new one with 503', async () => {
    const { response, body } = await follow();
    const ended = new Promise((resolve) => response.on('end', resolve));
    await until(() => body.text.split('\n').length > 2);
    const reading = readings.at(-1)!;
    manager.get(Stopping).beforeApplicationShutdown();
    await ended;
    assert.match(body.text, /\n… the Manager is stopping: follow again in a moment\n$/);
    await until(() => reading.ended);
    const late = await manager.http().get(`/deployments/${deployed}/containers/logs?follow=true`).set(auth);
    assert.equal(late.status, 503);
    assert.equal(late.headers.connection, 'close');
    assert.match(late.body.message, /stopping/);
  });
});
