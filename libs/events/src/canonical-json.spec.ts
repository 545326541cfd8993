import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every level, so the order a value was built in does not matter', () => {
    const a = { b: 1, a: { d: [{ z: 1, y: 2 }], c: 'x' } };
    const b = { a: { c: 'x', d: [{ y: 2, z: 1 }] }, b: 1 };
    assert.equal(canonicalJson(a), '{"a":{"c":"x","d":[{"y":2,"z":1}]},"b":1}');
    assert.equal(canonicalJson(b), canonicalJson(a));
  });

  it('writes what JSON.stringify writes for values whose keys are already in order', () => {
    const values = [
      null,
      true,
      0,
      -1.5e300,
      Number.NaN,
      'quote " backslash \\ newline \n unicode é \u2028',
      [],
      [1, 'two', null, [3], { a: 4 }],
      {},
      { a: '', b: [null], c: { d: false } },
      { a: undefined, b: [undefined, () => 1], c: () => 1 },
    ];
    for (const value of values) assert.equal(canonicalJson(value), JSON.stringify(value), String(value));
  });

  it('writes Dates as ISO strings and leaves out undefined members', () => {
    const time = new Date('2026-11-25T12:00:00.123Z');
    assert.equal(canonicalJson({ time, gone: undefined }), '{"time":"2026-11-25T12:00:00.123Z"}');
    assert.equal(canonicalJson(undefined), 'null');
  });
});
