import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { UNNAMED_WRITER } from '@testausdeploy/events';
import { claimWriterIdentity } from './event-writer-identity';

describe('claimWriterIdentity', () => {
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'writer-'));
  });

  after(() => rm(dir, { recursive: true, force: true }));

  it('gives each run a new writer id and the earlier runs’ to recover, until it has started', async () => {
    const state = join(dir, 'runs');
    // No file yet: if anything ran here, it was a Manager from before writers were named.
    const first = await claimWriterIdentity(state);
    assert.deepEqual(first.recover, [UNNAMED_WRITER]);
    await first.recovered();
    const second = await claimWriterIdentity(state);
    assert.deepEqual(second.recover, [first.writer]);
    assert.notEqual(second.writer, first.writer);
    // The second run failed before its store started: the third looks for both.
    const third = await claimWriterIdentity(state);
    assert.deepEqual(third.recover, [second.writer, first.writer]);
    await third.recovered();
    assert.deepEqual((await claimWriterIdentity(state)).recover, [third.writer]);
  });

  it('refuses while another Manager runs from the directory, and goes on once it is gone', async () => {
    const state = join(dir, 'taken');
    await claimWriterIdentity(state);
    const other = spawn('sleep', ['30']);
    await once(other, 'spawn');
    await writeFile(join(state, 'event-writer.json'), JSON.stringify({ writer: 'other', pid: other.pid }));
    await assert.rejects(
      claimWriterIdentity(state),
      new RegExp(`another Manager \\(pid ${other.pid}\\) writes the event log from ${state}; stop it first`),
    );
    other.kill('SIGKILL');
    await once(other, 'exit');
    assert.deepEqual((await claimWriterIdentity(state)).recover, ['other']);
  });
});
