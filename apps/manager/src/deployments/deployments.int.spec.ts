import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Connection } from 'mongoose';
import request from 'supertest';
import { testDatabaseUrl } from '../../../../test/support/database';
import { loadManagerConfig } from '../config/manager-config';
import { DATABASE } from '../database/database.module';
import { ManagerModule } from '../manager.module';

const TOKEN = 'test-admin-token-0123456789abcdef0123';

describe('Manager REST: deployments (real database, no Worker reachable)', () => {
  let app: INestApplication;
  let stateDir: string;
  const auth = { Authorization: `Bearer ${TOKEN}` };

  before(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'manager-'));
    const config = loadManagerConfig({
      MONGO_URL: testDatabaseUrl('manager-rest'),
      ADMIN_TOKEN: TOKEN,
      ALLOWED_ORGS: 'testausserveri, Example-Org',
      MANAGER_STATE_DIR: stateDir,
      // Port 9 (discard) has no listener here: every dial fails, so deployments fail with a reason.
      WORKER_URL: 'wss://127.0.0.1:9',
      WORKER_FINGERPRINT: 'a'.repeat(64),
      GUARDIAN_URL: 'wss://127.0.0.1:9',
      GUARDIAN_FINGERPRINT: 'b'.repeat(64),
      LOG_LEVEL: 'silent',
    });
    app = await NestFactory.create(ManagerModule.forRoot(config), { logger: false });
    await app.init();
  });

  after(async () => {
    await app.get<Connection>(DATABASE).dropDatabase();
    await app.close();
    await rm(stateDir, { recursive: true, force: true });
  });

  const post = (body: object, headers: Record<string, string> = auth) =>
    request(app.getHttpServer()).post('/deployments').set(headers).send(body);

  it('requires a valid bearer token everywhere but /health', async () => {
    await request(app.getHttpServer()).get('/health').expect(200);
    await request(app.getHttpServer()).get('/deployments').expect(401);
    const wrong = await request(app.getHttpServer())
      .get('/deployments')
      .set({ Authorization: 'Bearer nope' });
    assert.equal(wrong.status, 401);
    assert.match(wrong.body.message, /not valid/);
  });

  it('refuses an organisation that is not on the allow-list with 403 and the reason', async () => {
    const res = await post({ org: 'evil-corp', repo: 'x' });
    assert.equal(res.status, 403);
    assert.match(res.body.message, /"evil-corp" is not on the allow-list/);
  });

  it('refuses malformed bodies and escaping compose paths with 400 and the reason', async () => {
    const missing = await post({ repo: 'x' });
    assert.equal(missing.status, 400);
    assert.match(JSON.stringify(missing.body.message), /org/);
    const extra = await post({ org: 'testausserveri', repo: 'x', privileged: true });
    assert.equal(extra.status, 400);
    const escape = await post({ org: 'testausserveri', repo: 'x', composePath: '../../etc/compose.yml' });
    assert.equal(escape.status, 400);
    assert.match(escape.body.message, /must not contain "\.\." segments/);
    const branch = await post({ org: 'testausserveri', repo: 'x', branch: '--upload-pack=touch /tmp/x' });
    assert.equal(branch.status, 400);
    const badId = await request(app.getHttpServer()).get('/deployments/not-a-uuid').set(auth);
    assert.equal(badId.status, 400);
  });

  it('accepts a request with 202, records it, and records the failure when no Worker answers', async () => {
    const res = await post({ org: 'example-org', repo: 'site', branch: 'main', composePath: 'compose.yml' });
    assert.equal(res.status, 202);
    const { deploymentId } = res.body as { deploymentId: string };
    assert.match(deploymentId, /^[0-9a-f-]{36}$/);

    let view: { status: string; reason: string | null; requestedBy: string } | undefined;
    for (let tries = 0; tries < 50 && view?.status !== 'failed'; tries++) {
      view = (await request(app.getHttpServer()).get(`/deployments/${deploymentId}`).set(auth).expect(200))
        .body;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(view?.status, 'failed');
    assert.match(view?.reason ?? '', /not connected/);
    assert.equal(view?.requestedBy, 'admin');

    const list = await request(app.getHttpServer()).get('/deployments').set(auth).expect(200);
    assert.ok(list.body.some((item: { id: string }) => item.id === deploymentId));
    await request(app.getHttpServer()).get(`/deployments/${crypto.randomUUID()}`).set(auth).expect(404);
  });
});
