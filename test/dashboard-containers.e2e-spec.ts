import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isDeepStrictEqual, promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, testBrowser } from './support/browser';
import { eventually } from './support/ports';
import { ssh, sshKeyPair, sshWhenUp } from './support/ssh';
import { System } from './support/system';

const run = promisify(execFile);
const SCREENSHOTS = resolve(__dirname, '..', '..', 'docs', 'screenshots');
/** Creating a container or restoring a backup: an image unpacked, sshd waited for. */
const LXD_TIMEOUT = 180_000;

/** What the page's SSH line says to run, taken apart. */
async function sshLine(page: Page): Promise<{ line: string; port: number; user: string; host: string }> {
  const line = (await page.getByLabel('SSH command').first().textContent({ timeout: LXD_TIMEOUT }))!;
  const [, port, user, host] = /^ssh -p (\d+) ([a-z_][a-z0-9_-]*)@(\S+)$/.exec(line) ?? [];
  assert.ok(port, `not an SSH command: ${line}`);
  return { line, port: Number(port), user, host };
}

/*
 * A member's day with their box, in Chromium against the real Manager, Worker (LXD) and Guardian: create it from
 * the form with a pasted key, copy the SSH line and log in with it, snapshot and restore, export a backup while
 * its progress shows, restore it as a new container and log in there, delete with the name typed.
 */
describe('the dashboard in Chromium: a member’s container in LXD, from the page to SSH', () => {
  let system: System;
  let browser: Browser;
  let page: Page;
  let backupDir: string;
  let key: { key: string; publicKey: string };
  const name = `web-${randomBytes(3).toString('hex')}`;
  const copy = `${name}-copy`;

  before(async () => {
    backupDir = await mkdtemp(join(tmpdir(), 'backups-'));
    const subnet = (await run('bash', ['-c', 'source scripts/lib.sh && lxd_bridge_subnet'])).stdout.trim();
    system = await System.start({
      allowedOrgs: 'none',
      gitBaseUrl: 'http://127.0.0.1:9',
      env: {
        manager: { CONTAINER_SSH_PORTS: '43000-43999' },
        worker: { BACKUP_DIR: backupDir },
        guardian: { CONTAINER_SUBNETS: subnet },
      },
    });
    key = await sshKeyPair(join(system.dir, 'member-key'));
    const { body } = await system.call<{ token: string }>('POST', '/members', { name: 'ada' });
    // The token is taken once the members' read model has the new member (it follows the log a moment behind).
    await eventually(
      async () =>
        (await system.call('GET', '/session', undefined, body.token)).status === 200 ? true : undefined,
      30_000,
    );
    browser = await testBrowser();
    const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    page = await context.newPage();
    await page.goto(system.api);
    await page.getByLabel('API token').fill(body.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // A member starts on their projects, with their containers beside them.
    await page.getByRole('heading', { name: 'Projects', exact: true }).waitFor({ timeout: 60_000 });
    await page.getByRole('region', { name: 'Your containers' }).getByText('No containers yet').waitFor();
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Containers' }).click();
    await page.getByRole('heading', { name: 'Containers', exact: true }).waitFor();
  });

  after(async () => {
    await browser?.close();
    for (const container of [name, copy])
      await run('lxc', ['delete', '--force', container]).catch(() => undefined);
    await system?.stop();
    await rm(backupDir, { recursive: true, force: true });
  });

  it('creates a container from the form with a pasted key, and its SSH line, copied, logs in with that key', async () => {
    const form = page.getByRole('region', { name: 'New container' });
    await form.getByLabel('Name', { exact: true }).fill(name);
    // The quota's largest limits (the Manager's defaults here) bound the fields and are said beside them.
    const disk = form.getByLabel('Disk (GiB)');
    await form.getByText('At most 20', { exact: true }).waitFor();
    assert.equal(await disk.getAttribute('max'), '20');
    await disk.fill('2');
    await form.getByLabel('SSH public keys, one per line').fill(key.publicKey);
    const image = form.getByLabel('Image');
    await image
      .locator('option', { hasText: 'testausdeploy/bookworm (default)' })
      .waitFor({ state: 'attached' });
    await form.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(new RegExp(`/ui/containers/${name}$`), { timeout: LXD_TIMEOUT });

    const { line, port, user, host } = await sshLine(page);
    assert.deepEqual([user, host], ['ada', '127.0.0.1']);
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    assert.equal(await page.evaluate('navigator.clipboard.readText()'), line);
    assert.equal(await sshWhenUp(key.key, port, user, 'echo kept > notes && echo ok'), 'ok\n');
    await page.locator('.status', { hasText: 'running' }).first().waitFor();
    // What LXD says it uses, refreshed while the page is open.
    await page.getByText(/^[\d.]+ MiB memory, [\d.]+ MiB disk, \d+ processes, [\d.]+ s of CPU$/).waitFor();
  });

  it('shows the member their projects beside their containers on their start page', async () => {
    const granted = await system.call('PUT', '/projects/none/box-app/members/ada', { role: 'viewer' });
    assert.equal(granted.status, 200, JSON.stringify(granted.body));
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Projects' }).click();
    await page.getByRole('heading', { name: 'Projects', exact: true }).waitFor();
    await page.getByRole('link', { name: 'none/box-app' }).waitFor();
    await page.getByRole('region', { name: 'Your containers' }).getByRole('link', { name }).click();
    await page.waitForURL(new RegExp(`/ui/containers/${name}$`));
  });

  it('offers an admin, not the member, to move the container to another node, and says why a move is refused', async () => {
    await page.getByRole('region', { name: 'Snapshots' }).waitFor();
    assert.equal(
      await page.getByRole('region', { name: 'Move' }).count(),
      0,
      'the member has no Move section',
    );
    const admin = await browser.newPage();
    try {
      await admin.goto(system.api);
      await admin.getByLabel('API token').fill(system.token);
      await admin.getByRole('button', { name: 'Sign in' }).click();
      await admin.getByRole('heading', { name: 'Overview', exact: true }).waitFor({ timeout: 60_000 });
      await admin.goto(`${system.api}/ui/containers/${name}`);
      const move = admin.getByRole('region', { name: 'Move' });
      await move.getByText('Its backups stay on worker.').waitFor();
      await move.getByLabel('To node').fill('worker');
      await move.getByRole('button', { name: 'Move' }).click();
      await move.getByRole('alert').getByText(`container "${name}" runs on worker already`).waitFor();
    } finally {
      await admin.close();
    }
  });

  it('makes a snapshot and restores it from the page: a file deleted after it is back', async () => {
    const snapshots = page.getByRole('region', { name: 'Snapshots' });
    await snapshots.getByLabel('Snapshot name').fill('before');
    await snapshots.getByRole('button', { name: 'Make a snapshot' }).click();
    const item = snapshots.locator('li', { hasText: 'before' });
    await item.waitFor({ timeout: 60_000 });
    const { port, user } = await sshLine(page);
    await ssh(key.key, port, user, 'rm notes');
    const restore = item.getByRole('button', { name: 'Restore' });
    await restore.click();
    assert.equal(await sshWhenUp(key.key, port, user, 'cat notes'), 'kept\n');
    // The restore is done when its button is free again: the container's next change waits for it until then.
    await item.locator('button[aria-busy=false]', { hasText: 'Restore' }).waitFor({ timeout: 60_000 });
  });

  it('sets a snapshot schedule from the page, and turns it off again', async () => {
    const schedules = page.getByRole('region', { name: 'Schedules' });
    const savedAs = async (schedule: object) => {
      await schedules.getByRole('button', { name: 'Save schedules' }).click();
      const recorded = async () =>
        (await system.call<{ schedule: object }>('GET', `/containers/${name}`)).body.schedule;
      await eventually(
        async () => (isDeepStrictEqual(await recorded(), schedule) ? true : undefined),
        30_000,
      );
    };
    await schedules.getByLabel('Take snapshots on a schedule').check();
    await schedules.getByLabel('Every (hours)').fill('12');
    await schedules.getByLabel('Keep the latest').fill('2');
    await savedAs({ snapshots: { everyHours: 12, keep: 2 }, backups: null });
    await schedules.getByLabel('Take snapshots on a schedule').uncheck();
    await savedAs({ snapshots: null, backups: null });
  });

  it('exports a backup with its progress bar showing, and restores it as a new container one logs in to', async () => {
    const backups = page.getByRole('region', { name: 'Backups' });
    await backups.getByLabel('Backup name').fill('nightly');
    await backups.getByRole('button', { name: 'Make a backup' }).click();
    await page
      .getByRole('progressbar', { name: 'exportBackup nightly in progress' })
      .waitFor({ timeout: 60_000 });
    const log = page.getByLabel('Progress of exportBackup nightly');
    await log.filter({ hasText: `backing up ${name}` }).waitFor();
    await backups.locator('li', { hasText: 'nightly' }).waitFor({ timeout: LXD_TIMEOUT });
    await log.filter({ hasText: 'written to' }).waitFor();

    await page.screenshot({ path: join(SCREENSHOTS, 'container.png'), fullPage: true });
    assert.deepEqual(await axeViolations(page), []);
    await page.setViewportSize({ width: 375, height: 800 });
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than 375 px`);
    await page.setViewportSize({ width: 1280, height: 900 });

    await backups.getByLabel('Name for a restored container').fill(copy);
    await backups.getByRole('button', { name: 'Restore as new container' }).click();
    await page.waitForURL(new RegExp(`/ui/containers/${copy}$`), { timeout: LXD_TIMEOUT });
    const { port, user } = await sshLine(page);
    assert.equal(await sshWhenUp(key.key, port, user, 'cat notes'), 'kept\n');
  });

  it('deletes the copy once its name is typed, and not before, and the list no longer has it', async () => {
    const remove = page.getByRole('region', { name: 'Delete' });
    await remove.getByLabel(`Type ${copy}`).fill('not-it');
    await remove.getByRole('button', { name: 'Delete the container' }).click();
    await remove
      .getByRole('alert')
      .filter({ hasText: `Type ${copy} to confirm.` })
      .waitFor();
    await remove.getByLabel(`Type ${copy}`).fill(copy);
    await remove.getByRole('button', { name: 'Delete the container' }).click();
    await page.waitForURL(/\/ui\/containers$/);
    const row = (container: string) =>
      page.getByRole('row').filter({ has: page.getByRole('link', { name: container, exact: true }) });
    await row(name).locator('.status', { hasText: 'running' }).waitFor();
    // A deleted container is listed only while it has backups to restore; the copy has none.
    assert.equal(await row(copy).count(), 0);
  });
});
