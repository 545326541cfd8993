import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { removeInstances } from '../../../../test/support/lxd-instances';
import { freePort } from '../../../../test/support/ports';
import { ContainerPlacement } from './container-placement';
import { LxdClient } from './lxd/lxd-client';
import { nic, type Placement } from './member-container';

const IMAGE = 'testausdeploy/bookworm';

// Another process on the same LXD (a second Worker, an admin's lxc) is played by `rival`: it takes the address
// just chosen, between the choice and the work, as this process's queue cannot prevent. The work is what the
// Worker's creation does: create the instance (or re-address it when tried again), then start it.
describe('a container placement against LXD, when another process takes its address first', () => {
  const lxd = new LxdClient(process.env.LXD_SOCKET);
  const placement = new ContainerPlacement(lxd);
  const prefix = `td-p${randomBytes(3).toString('hex')}`;
  let rivals = 0;

  after(() => removeInstances(lxd, prefix), { timeout: 60_000 });

  const rival = (at: Placement) =>
    lxd.instances.create({
      name: `${prefix}-rival${rivals++}`,
      image: IMAGE,
      devices: { eth0: nic(at.network, at.ipv4) },
    });
  const createAndStart = async (name: string, at: Placement) => {
    const devices = { eth0: nic(at.network, at.ipv4) };
    const exists = await lxd.instances.get(name).then(
      () => true,
      () => false,
    );
    if (exists) await lxd.instances.update(name, { devices });
    else await lxd.instances.create({ name, image: IMAGE, devices });
    await lxd.instances.start(name);
  };

  it(
    'chooses again without the address LXD refused, and the work succeeds at the next one',
    { timeout: 60_000 },
    async () => {
      const name = `${prefix}-mine`;
      const tried: string[] = [];
      await placement.place(
        await freePort(),
        async (at) => {
          tried.push(at.ipv4);
          if (tried.length === 1) await rival(at);
          await createAndStart(name, at);
        },
        name,
      );
      assert.equal(tried.length, 2);
      assert.notEqual(tried[1], tried[0]);
      const instance = await lxd.instances.get(name);
      assert.equal(instance.devices.eth0?.['ipv4.address'], tried[1]);
      assert.equal(instance.status, 'Running');
    },
  );

  it("gives up after a few tries with LXD's own refusal", { timeout: 90_000 }, async () => {
    const name = `${prefix}-never`;
    const tried: string[] = [];
    await assert.rejects(
      placement.place(
        await freePort(),
        async (at) => {
          tried.push(at.ipv4);
          await rival(at);
          await createAndStart(name, at);
        },
        name,
      ),
      { name: 'LxdError', message: /IP address "[0-9.]+" already defined on another NIC/ },
    );
    assert.equal(tried.length, 4);
    assert.equal(new Set(tried).size, 4);
    assert.equal((await lxd.instances.get(name)).status, 'Stopped');
  });
});
