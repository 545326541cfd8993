import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AccessCounts } from './access-counts';

const HOUR = 60 * 60_000;
/** A line as Caddy's access log writes it (the fields read here). */
const line = (at: number, host: string, status: number) =>
  `${JSON.stringify({ level: 'info', ts: at / 1000, logger: 'http.log.access.apps', request: { host: `${host}:443` }, status })}\n`;

describe('AccessCounts per hour', () => {
  let dir: string;
  before(async () => (dir = await mkdtemp(join(tmpdir(), 'access-'))));
  after(() => rm(dir, { recursive: true, force: true }));

  it("counts a Guardian's hours whole, the part logged before it started too, and reports each once it has ended", async () => {
    const log = join(dir, 'access.log');
    const ten = Date.parse('2026-12-07T10:00:00.000Z');
    let now = ten + 30 * 60_000;
    // What an earlier Guardian's proxy logged: an hour before, and this hour until the restart.
    await writeFile(log, line(ten - 20 * 60_000, 'a.test', 200) + line(ten + 5 * 60_000, 'a.test', 502));
    const counts = new AccessCounts(log, () => now);
    const routed = new Map([
      ['a.test', 'project:org/a'],
      ['b.test', 'project:org/b'],
    ]);
    assert.deepEqual(await counts.of(routed), [
      { host: 'a.test', requests: 0, serverErrors: 0 },
      { host: 'b.test', requests: 0, serverErrors: 0 },
    ]);
    // Any host name can be asked for: only the routed ones are counted.
    const asked = Array.from({ length: 50 }, (_, i) => line(now + 500, `x${i}.test`, 404)).join('');
    await appendFile(log, line(now + 1000, 'a.test', 200) + line(now + 2000, 'b.test', 200) + asked);
    // Counted since the start: what was logged after it.
    assert.deepEqual(await counts.of(routed), [
      { host: 'a.test', requests: 1, serverErrors: 0 },
      { host: 'b.test', requests: 1, serverErrors: 0 },
    ]);
    assert.deepEqual(counts.hours(), [
      {
        host: 'a.test',
        hour: '2026-12-07T09:00:00.000Z',
        owner: 'project:org/a',
        requests: 1,
        serverErrors: 0,
      },
    ]);
    // The hour is reported a minute after it ended, whole: before the restart and after, each host name of its own.
    now = ten + HOUR + 30_000;
    await counts.of(routed);
    assert.equal(counts.hours().length, 1);
    now = ten + HOUR + 61_000;
    await counts.of(routed);
    assert.deepEqual(counts.hours().slice(1), [
      {
        host: 'a.test',
        hour: '2026-12-07T10:00:00.000Z',
        owner: 'project:org/a',
        requests: 2,
        serverErrors: 1,
      },
      {
        host: 'b.test',
        hour: '2026-12-07T10:00:00.000Z',
        owner: 'project:org/b',
        requests: 1,
        serverErrors: 0,
      },
    ]);
    // A day later, only the last 24 ended hours are kept.
    now = ten + 24 * HOUR + 61_000;
    await counts.of(routed);
    assert.deepEqual(
      counts.hours().map(({ hour }) => hour),
      ['2026-12-07T10:00:00.000Z', '2026-12-07T10:00:00.000Z'],
    );
    now = ten + 25 * HOUR + 61_000;
    await counts.of(routed);
    assert.deepEqual(counts.hours(), []);
  });

  it('credits an hour to the project whose route held the host name when its requests were counted', async () => {
    const log = join(dir, 'moved.log');
    const ten = Date.parse('2026-12-07T10:00:00.000Z');
    let now = ten + 10 * 60_000;
    await writeFile(log, '');
    const counts = new AccessCounts(log, () => now);
    await counts.of(new Map([['a.test', 'project:org/old']]));
    await appendFile(log, line(now + 1000, 'a.test', 200));
    await counts.of(new Map([['a.test', 'project:org/old']]));
    // An admin moves the host name to another project within the hour.
    now = ten + 20 * 60_000;
    await appendFile(log, line(now + 1000, 'a.test', 200) + line(now + 2000, 'a.test', 200));
    await counts.of(new Map([['a.test', 'project:org/new']]));
    now = ten + HOUR + 61_000;
    assert.deepEqual(
      counts.hours().map(({ owner, requests }) => [owner, requests]),
      [
        ['project:org/new', 2],
        ['project:org/old', 1],
      ],
    );
  });
});
