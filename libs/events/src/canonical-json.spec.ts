import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalCopy, canonicalJson } from './canonical-json';
import { appendedEventHash, eventHash, GENESIS_HASH } from './event-hash';

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

  it('sorts keys as strings, integer-like ones too, and honours toJSON as JSON.stringify does', () => {
    assert.equal(canonicalJson({ 10: 'a', 9: 'b', x: 'c' }), '{"10":"a","9":"b","x":"c"}');
    const port = { toJSON: () => ({ b: 2, a: 1 }) };
    assert.equal(canonicalJson({ port }), '{"port":{"a":1,"b":2}}');
    assert.equal(canonicalJson(new Date(Number.NaN)), 'null');
  });

  it('copies data as plain JSON, and the append hash of the copy equals the verify hash', () => {
    class Port {
      constructor(readonly number: number) {}
    }
    const data = {
      z: [{ y: 1, x: new Port(22), w: undefined }, null, 'text'],
      a: { c: new Date('2026-11-29T00:00:00Z'), b: Number.NaN, gone: undefined },
      m: Object.assign(Object.create(null), { q: 1, p: 2 }),
      n: JSON.parse('{"__proto__": {"polluted": true}, "k": 1}'),
      ports: { 8080: 'web', 22: 'ssh', 443: 'tls' },
    };
    const copy = canonicalCopy(data);
    assert.equal(copy.json, canonicalJson(data));
    assert.equal(canonicalJson(copy.value), copy.json);
    assert.deepEqual(copy.value.z[0], { x: { number: 22 }, y: 1 });
    assert.equal(copy.value.a.c as unknown, '2026-11-29T00:00:00.000Z');
    assert.equal(Object.getPrototypeOf(copy.value.m), Object.prototype);
    assert.ok(Object.hasOwn(copy.value.n, '__proto__'), 'a member named __proto__ is kept as data');
    assert.match(copy.json, /"__proto__":\{"polluted":true\}/);
    assert.match(copy.json, /"ports":\{"22":"ssh","443":"tls","8080":"web"\}/);
    const metadata = {
      commandId: null,
      actor: 'a',
      correlationId: 'c',
      causationId: null,
      source: 's',
      time: new Date('2026-11-29T01:02:03.004Z'),
    };
    const event = {
      batch: { first: 7, last: 8 },
      data: copy.value,
      metadata,
      position: 7,
      schemaVersion: 2,
      streamId: 's-"1"',
      type: 'Happened',
      version: 3,
    };
    const json = { data: copy.json, metadata: canonicalJson(metadata) };
    assert.equal(appendedEventHash(event, json, GENESIS_HASH), eventHash(event, GENESIS_HASH));
    const reordered = { ...event, data: Object.fromEntries(Object.entries(copy.value).reverse()) };
    assert.equal(eventHash(reordered, GENESIS_HASH), eventHash(event, GENESIS_HASH));
  });
});
