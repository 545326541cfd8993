import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalCopy, canonicalJson, sortedKeys } from './canonical-json';
import { eventHash, GENESIS_HASH, sortedEventHash } from './event-hash';

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

  it('sorts copies so that their plain JSON is the canonical JSON, and the append hash equals the verify hash', () => {
    class Port {
      constructor(readonly number: number) {}
    }
    const data = {
      z: [{ y: 1, x: new Port(22), w: undefined }, null, 'text'],
      a: { c: new Date('2026-11-29T00:00:00Z'), b: Number.NaN, gone: undefined },
      m: Object.assign(Object.create(null), { q: 1, p: 2 }),
      n: JSON.parse('{"__proto__": {"polluted": true}, "k": 1}'),
    };
    const copy = canonicalCopy(data);
    assert.equal(JSON.stringify(copy), canonicalJson(data));
    assert.deepEqual(Object.keys(copy), ['a', 'm', 'n', 'z']);
    assert.match(JSON.stringify(copy), /"__proto__":\{"polluted":true\}/, 'a member named __proto__ is kept');
    const time = new Date('2026-11-29T01:02:03.004Z');
    const metadata = sortedKeys({
      commandId: null,
      actor: 'a',
      correlationId: 'c',
      causationId: null,
      source: 's',
      time,
    });
    assert.ok((metadata as { time: unknown }).time instanceof Date, 'Dates are kept for the database');
    const event = {
      batch: { first: 7, last: 8 },
      data: copy,
      metadata: metadata as never,
      position: 7,
      schemaVersion: 2,
      streamId: 's-1',
      type: 'Happened',
      version: 3,
    };
    assert.equal(sortedEventHash(event, GENESIS_HASH), eventHash(event, GENESIS_HASH));
    const shuffled = { ...event, data: { ...copy, a: { c: '2026-11-29T00:00:00.000Z', b: null } } };
    assert.equal(eventHash(shuffled, GENESIS_HASH), eventHash(event, GENESIS_HASH));
  });
});
