import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { isSshUrl, sshCommand, sshPathProblem } from './git-ssh';

/** The arguments `sh` hands to ssh when git runs the command (git appends the host and command). */
function wordsOf(command: string): string[] {
  assert.ok(command.startsWith('ssh '), command);
  const printed = execFileSync('sh', ['-c', `printf '%s\\n' ${command.slice('ssh '.length)}`], {
    encoding: 'utf8',
  });
  return printed.split('\n').slice(0, -1);
}

describe('the ssh command git runs', () => {
  it('pins host keys, never prompts, and offers only the deploy key', () => {
    const key = "/etc/keys/it's a key; $(touch pwned) `id` & | > *";
    assert.deepEqual(wordsOf(sshCommand({ keyFile: key, knownHostsFile: '/etc/known hosts' })), [
      '-o',
      'BatchMode=yes',
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      'UserKnownHostsFile="/etc/known hosts"',
      '-o',
      'IdentitiesOnly=yes',
      '-i',
      key,
    ]);
  });

  it('still refuses unknown hosts and prompts without a key', () => {
    assert.deepEqual(wordsOf(sshCommand({})), ['-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes']);
  });

  it('refuses paths that ssh would expand itself', () => {
    assert.equal(sshPathProblem("/keys/it's fine (really)"), undefined);
    for (const bad of [
      'keys/relative',
      '/keys/%h',
      '/keys/${HOME}',
      '/keys/"q"',
      '/keys/a\\b',
      '/keys/a\nb',
    ]) {
      assert.ok(sshPathProblem(bad), bad);
    }
  });

  it('knows ssh URLs', () => {
    assert.ok(isSshUrl('ssh://git@github.com'));
    assert.ok(isSshUrl('git+ssh://git@github.com'));
    assert.ok(!isSshUrl('https://github.com'));
    assert.ok(!isSshUrl('git://127.0.0.1'));
  });
});
