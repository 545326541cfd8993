import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { auth, ManagerApp } from '../../../../test/support/manager-app';
import { CONTENT_SECURITY_POLICY } from '../http/security-headers.middleware';

const PAGE =
  '<!doctype html><title>Testausdeploy</title><script type="module" src="/ui/assets/app-1.js"></script>';

describe('Manager: serves the dashboard under /ui, beside the API (real database)', () => {
  let manager: ManagerApp;
  let built: string;

  before(async () => {
    built = await mkdtemp(join(tmpdir(), 'dashboard-'));
    await mkdir(join(built, 'assets'));
    await writeFile(join(built, 'index.html'), PAGE);
    await writeFile(join(built, 'assets', 'app-1.js'), 'console.log(1);\n');
    await writeFile(join(built, '.secret'), 'hidden\n');
    manager = await ManagerApp.start('dashboard', { DASHBOARD_DIR: built });
  });

  after(async () => {
    await manager.stop();
    await rm(built, { recursive: true, force: true });
  });

  it('leads / and /ui to the dashboard', async () => {
    await manager.http().get('/').expect(302).expect('Location', '/ui/');
    await manager.http().get('/ui').expect(302).expect('Location', '/ui/');
  });

  it("answers every page's path with the page, never cached, and assets for a year", async () => {
    for (const path of ['/ui/', '/ui/deployments/1234', '/ui/admin/members?x=1']) {
      const page = await manager.http().get(path).expect(200);
      assert.equal(page.text, PAGE, path);
      assert.equal(page.headers['cache-control'], 'no-cache', path);
      assert.match(page.headers['content-type'], /^text\/html/);
    }
    const asset = await manager.http().get('/ui/assets/app-1.js').expect(200);
    assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.match(asset.headers['content-type'], /javascript/);
  });

  it('refuses missing assets, dot files, paths out of the directory and methods other than GET', async () => {
    await manager.http().get('/ui/assets/missing.js').expect(404);
    const dot = await manager.http().get('/ui/.secret').expect(200);
    assert.equal(dot.text, PAGE, 'a dot file is not served: the path gets the page');
    const escaped = await manager.http().get('/ui/%2e%2e/%2e%2e/package.json');
    assert.ok(!escaped.text.includes('"name"'), `nothing outside the directory (${escaped.status})`);
    await manager.http().post('/ui/deployments').set(auth).expect(404);
  });

  it('sends the same security headers with pages and API answers', async () => {
    for (const path of ['/ui/', '/health', '/deployments']) {
      const answer = await manager.http().get(path).set(auth);
      assert.equal(answer.headers['content-security-policy'], CONTENT_SECURITY_POLICY, path);
      assert.equal(answer.headers['x-content-type-options'], 'nosniff', path);
      assert.equal(answer.headers['x-frame-options'], 'DENY', path);
      assert.equal(answer.headers['referrer-policy'], 'no-referrer', path);
    }
    assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-inline|unsafe-eval/);
    assert.match(CONTENT_SECURITY_POLICY, /frame-ancestors 'none'/);
  });
});

describe('Manager: a dashboard that is not built', () => {
  let manager: ManagerApp;

  before(async () => {
    manager = await ManagerApp.start('dashboard-unbuilt', { DASHBOARD_DIR: join(tmpdir(), 'no-such-dir') });
  });

  after(() => manager.stop());

  it('says how to build it, and the API works all the same', async () => {
    const page = await manager.http().get('/ui/').expect(503);
    assert.match(page.text, /The dashboard is not built: run `npm run build`/);
    await manager.http().get('/health').expect(200);
  });
});
