import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidInput } from '../errors';
import { ProjectTraffic } from './project-traffic.aggregate';

const hour = {
  guardian: 'g1',
  host: 'app.example.org',
  hour: '2026-12-07T10:00:00.000Z',
  requests: 7,
  serverErrors: 1,
};

describe('ProjectTraffic', () => {
  it("records each Guardian's hour of a host name once, however often it is reported", () => {
    const traffic = new ProjectTraffic('org', 'app', '2026-12-07');
    traffic.count(hour);
    traffic.count(hour);
    traffic.count({ ...hour, guardian: 'g2' });
    traffic.count({ ...hour, hour: '2026-12-07T11:00:00.000Z' });
    const events = traffic.commit();
    assert.deepEqual(
      events.map(({ data }) => [data.guardian, data.hour]),
      [
        ['g1', '2026-12-07T10:00:00.000Z'],
        ['g2', '2026-12-07T10:00:00.000Z'],
        ['g1', '2026-12-07T11:00:00.000Z'],
      ],
    );
    const again = new ProjectTraffic('org', 'app', '2026-12-07');
    again.loadFromHistory(events);
    again.count(hour);
    assert.equal(again.pendingEvents.length, 0);
    assert.equal(ProjectTraffic.streamId('org', 'app', '2026-12-07'), 'traffic-org/app-2026-12-07');
  });

  it('refuses an hour that is not the start of one of its day, and counts that are not counts', () => {
    const traffic = new ProjectTraffic('org', 'app', '2026-12-07');
    for (const wrong of [
      { ...hour, hour: '2026-12-07T10:30:00.000Z' },
      { ...hour, hour: '2026-12-08T10:00:00.000Z' },
      { ...hour, hour: 'yesterday' },
      { ...hour, requests: -1 },
      { ...hour, requests: 1.5 },
      { ...hour, serverErrors: 8 },
    ]) {
      assert.throws(() => traffic.count(wrong), InvalidInput, JSON.stringify(wrong));
    }
    assert.equal(traffic.pendingEvents.length, 0);
  });
});
