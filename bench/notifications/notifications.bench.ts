/**
 * Notifications benchmark: do notifications slow a deploy? The Manager runs in this process on the test
 * database with no Worker enrolled, so each deployment request ends at once in `DeploymentFailed` with its reason:
 * the whole Manager-side path of a deployment (the request, its events, the read models) without Docker. Each
 * figure is the time from `POST /deployments` to the deployment's page saying `failed`, over the same number of
 * requests (a few at a time, each of its own repository):
 *
 * - baseline: no channel at all, measured before and after (their mean counts, so drift shows);
 * - with channels: ten server channels hearing of every failed deployment, all sending to a receiver that holds
 *   every request for five seconds and then refuses it, so the outbox queues ten deliveries per deployment and
 *   every slot of the sender is busy retrying the whole time.
 *
 * Also measured: how long after the last deployment the outbox had queued every delivery. `npm run
 * bench:notifications` (TEST_MONGO_URL, default mongodb://127.0.0.1:27117); figures go to docs/performance.md.
 */
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { NotificationDeliveries } from '../../apps/manager/src/notifications/delivery/notification-deliveries';
import { auth, ManagerApp } from '../../test/support/manager-app';
import { concurrently, now, percentile, Row, runBench, table } from '../measure';

const config = {
  deployments: Number(process.env.BENCH_NOTIFY_DEPLOYMENTS ?? 200),
  concurrency: Number(process.env.BENCH_NOTIFY_CONCURRENCY ?? 4),
  channels: Number(process.env.BENCH_NOTIFY_CHANNELS ?? 10),
  holdMs: Number(process.env.BENCH_NOTIFY_HOLD_MS ?? 5000),
};
const log = (line: string) => process.stderr.write(`${line}\n`);

/** A receiver that answers nothing for `holdMs`, then 503: the worst a channel can be short of a timeout. */
async function slowReceiver(
  holdMs: number,
): Promise<{ server: Server; url: string; requests: () => number }> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    req.resume();
    setTimeout(() => res.writeHead(503).end('busy'), holdMs).unref();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/hook`, requests: () => requests };
}

/** The milliseconds from each deployment's request to its page saying `failed`. */
async function deployments(manager: ManagerApp, round: string): Promise<number[]> {
  const samples: number[] = [];
  await concurrently(config.concurrency, config.deployments, async (_, index) => {
    const start = now();
    const { body } = await manager
      .http()
      .post('/deployments')
      .set(auth)
      .send({ org: 'bench', repo: `${round}-${index}` })
      .expect(202);
    for (;;) {
      const { body: view } = await manager.http().get(`/deployments/${body.deploymentId}`).set(auth);
      if (view.status === 'failed') break;
      await sleep(2);
    }
    samples.push(now() - start);
  });
  return samples;
}

async function main(): Promise<void> {
  process.env.TEST_MONGO_URL ??= 'mongodb://127.0.0.1:27117';
  const receiver = await slowReceiver(config.holdMs);
  const manager = await ManagerApp.start('bench-notifications', {
    ALLOWED_ORGS: 'bench',
    NOTIFICATION_RETRY_MS: '100',
  });
  try {
    log(`warm-up, then ${config.deployments} deployments per round, ${config.concurrency} at a time`);
    await deployments(manager, 'warm');
    const before = await deployments(manager, 'before');
    const ids: string[] = [];
    for (let n = 0; n < config.channels; n++) {
      const { body } = await manager
        .http()
        .post('/notifications/channels')
        .set(auth)
        .send({ name: `slow ${n}`, kind: 'slack', url: receiver.url, topics: ['deployment.failed'] })
        .expect(201);
      ids.push(body.id);
    }
    const queued = manager.get(NotificationDeliveries).collection;
    const startQueued = await queued.countDocuments({});
    const withChannels = await deployments(manager, 'with');
    const ended = now();
    const expected = startQueued + config.deployments * config.channels;
    while ((await queued.countDocuments({})) < expected) await sleep(10);
    const lagMs = now() - ended;
    for (const id of ids) await manager.http().delete(`/notifications/channels/${id}`).set(auth).expect(204);
    const after = await deployments(manager, 'after');

    const baseline = (p: number) => (percentile(before, p) + percentile(after, p)) / 2;
    const rows: Row[] = [50, 99].map((p) => ({
      figure: `deployment request to failed, p${p}`,
      store: percentile(withChannels, p),
      baseline: baseline(p),
      unit: 'ms',
      better: 'lower',
      goal: 0.8,
    }));
    log(
      `baseline before: p50 ${percentile(before, 50).toFixed(1)} ms, after: ${percentile(after, 50).toFixed(1)} ms`,
    );
    log(
      `receiver took ${receiver.requests()} requests; outbox done ${lagMs.toFixed(0)} ms after the last deployment`,
    );
    process.stdout.write(`${table(rows, `${config.channels} slow channels`)}\n`);
    process.stdout.write(
      `\noutbox: ${expected - startQueued} deliveries queued, the last ${lagMs.toFixed(0)} ms after the last deployment\n`,
    );
  } finally {
    await manager.stop();
    receiver.server.close();
  }
}

runBench(main);
