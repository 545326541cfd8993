import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { LineRate, LINES_PER_SECOND, MAX_LINE_CHARS } from './line-rate';

describe('LineRate', () => {
  beforeEach(() => mock.timers.enable({ apis: ['Date', 'setTimeout'], now: 1_000_000 }));
  afterEach(() => mock.timers.reset());

  it('lets a burst through, then drops beyond the rate and says how many', () => {
    const sent: string[] = [];
    const rate = new LineRate((line) => sent.push(line));
    for (let n = 0; n < 1500; n++) rate.offer(`line ${n}`);
    assert.equal(sent.length, 1000);
    assert.equal(rate.dropped, 500);
    mock.timers.tick(1000);
    assert.equal(sent.at(-1), `… 500 lines dropped (over ${LINES_PER_SECOND} a second)`);
    for (let n = 0; n < LINES_PER_SECOND + 10; n++) rate.offer('again');
    assert.equal(rate.sent, 1000 + LINES_PER_SECOND);
    rate.close();
    assert.equal(sent.at(-1), `… 10 lines dropped (over ${LINES_PER_SECOND} a second)`);
    assert.equal(rate.dropped, 510);
  });

  it('cuts long lines and marks the cut', () => {
    const sent: string[] = [];
    new LineRate((line) => sent.push(line)).offer('x'.repeat(MAX_LINE_CHARS + 50));
    assert.equal(sent[0], `${'x'.repeat(MAX_LINE_CHARS)}…`);
  });
});
