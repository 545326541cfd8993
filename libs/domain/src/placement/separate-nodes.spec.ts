import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Conflict, Unavailable } from '../errors';
import { ensureSeparate } from './separate-nodes';

describe('ensureSeparate: a move needs two places to hold its two copies', () => {
  const holders: Record<string, string | null> = { a: 'engine-1', b: 'engine-2', c: 'engine-1', d: null };
  const holder = (node: string) => holders[node];

  it('lets a move between two engines or LXD projects go ahead', () => {
    ensureSeparate('project', 'a', 'b', holder);
    ensureSeparate('container', 'b', 'a', holder);
  });

  it('refuses two Workers of one engine, or of one LXD project, saying why', () => {
    assert.throws(
      () => ensureSeparate('project', 'a', 'c', holder),
      (error) =>
        error instanceof Conflict && /^a and c run projects on one Docker engine: /.test(error.message),
    );
    assert.throws(
      () => ensureSeparate('container', 'c', 'a', holder),
      (error) =>
        error instanceof Conflict &&
        /^c and a keep members' containers in one LXD project: .*\(LXD_PROJECT\)$/.test(error.message),
    );
  });

  it('waits for a Worker that has not said where it holds them, at either end', () => {
    for (const [from, to] of [
      ['d', 'a'],
      ['a', 'd'],
      ['a', 'unknown'],
    ]) {
      assert.throws(
        () => ensureSeparate('container', from, to, holder),
        (error) => error instanceof Unavailable && /has not reported its capacity yet/.test(error.message),
      );
    }
  });
});
