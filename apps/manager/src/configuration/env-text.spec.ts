import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEnvText } from './env-text';

describe('parseEnvText', () => {
  it('takes NAME=value lines, with export, comments, blank lines, quotes and CRLF', () => {
    const text = '# c\r\nexport A=1\r\n\r\nB = "two words"\nC=\'x=y\'\nD=\nE="unclosed\n';
    assert.deepEqual(parseEnvText(text), [
      { name: 'A', value: '1' },
      { name: 'B', value: 'two words' },
      { name: 'C', value: 'x=y' },
      { name: 'D', value: '' },
      { name: 'E', value: '"unclosed' },
    ]);
  });

  it('refuses a line by its number only, never repeating it', () => {
    for (const [text, reason] of [
      ['A=1\nhunter2\n', 'line 2: not NAME=value'],
      ['A=1\n9X=hunter2', "line 2: not a variable's name"],
      [`A=${'x'.repeat(8193)}`, 'line 1: its value is over 8192 characters, or holds NUL'],
      ['# only a comment\n', 'text: no NAME=value line in it'],
    ]) {
      assert.throws(
        () => parseEnvText(text),
        (error: Error) => error.message === reason && !error.message.includes('hunter2'),
        text.slice(0, 20),
      );
    }
  });
});
