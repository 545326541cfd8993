import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ProjectSlots, slotNames } from './project-slots';

describe('ProjectSlots', () => {
  const dirs: string[] = [];
  const slots = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slots-'));
    dirs.push(dir);
    return { dir, slots: new ProjectSlots(dir) };
  };
  after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it("names the second compose project so that no project's own name is ever it", () => {
    assert.deepEqual(slotNames('Org', 'My.App'), ['td_org_my-app-81106bec', 'td_org--b_my-app-81106bec']);
  });

  it('serves from the first until a handover records the other, and swaps back at the next', async () => {
    const { slots: project } = await slots();
    assert.deepEqual(await project.of('org', 'app'), {
      project: 'td_org_app',
      live: 'td_org_app',
      other: 'td_org--b_app',
    });
    await project.serve('td_org_app', 'td_org--b_app');
    assert.deepEqual(await project.of('org', 'app'), {
      project: 'td_org_app',
      live: 'td_org--b_app',
      other: 'td_org_app',
    });
    await project.serve('td_org_app', 'td_org_app');
    assert.equal((await project.of('org', 'app')).live, 'td_org_app');
    await project.serve('td_org_app', 'td_org--b_app');
    await project.forget('td_org_app');
    assert.equal((await project.of('org', 'app')).live, 'td_org_app');
  });

  it('reads a record naming anything but its second project as the first', async () => {
    const { dir, slots: project } = await slots();
    await writeFile(join(dir, 'td_org_app.live'), 'td_other_app\n');
    assert.equal((await project.of('org', 'app')).live, 'td_org_app');
  });
});
