import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VALUE_RULE } from './dto/configuration.dto';
import { parseEnvText } from './env-text';

const PEM = ['-----BEGIN KEY-----', 'Zm9vYmFyYmF6cXV4==', 'c2VjcmV0LWtleQ==', '-----END KEY-----'];

describe('parseEnvText', () => {
  it('takes NAME=value lines, with export, comments, blank lines, quotes and CRLF; a name twice its last value', () => {
    const text = '# c\r\nexport A=1\r\n\r\nB = "two words" # a comment\nC=\'x=y\'\nD=\nA=3\n';
    assert.deepEqual(parseEnvText(text), {
      variables: [
        { name: 'B', value: 'two words' },
        { name: 'C', value: 'x=y' },
        { name: 'D', value: '' },
        { name: 'A', value: '3' },
      ],
      skipped: [],
    });
  });

  it('reads a quoted value over the lines after it until its closing quote, none of them a variable', () => {
    const text = `A=1\nKEY="${PEM.join('\n')}"\nB=2\n`;
    assert.deepEqual(parseEnvText(text), {
      variables: [
        { name: 'A', value: '1' },
        { name: 'KEY', value: PEM.join('\n') },
        { name: 'B', value: '2' },
      ],
      skipped: [],
    });
  });

  it('stops at a quote never closed: the lines after it are no variables, whatever they look like', () => {
    const { variables, skipped } = parseEnvText(`A=1\nKEY="${PEM.join('\n')}\nB=2\n`);
    assert.deepEqual(variables, [{ name: 'A', value: '1' }]);
    assert.deepEqual(skipped, [
      { line: 2, reason: 'its quote is never closed: the lines after it were not read' },
    ]);
  });

  it('skips other lines, saying each by its number and why, never what it holds', () => {
    const text = `A=1\nhunter2\n9X=hunter2\nB=${'x'.repeat(8193)}\nC=hunter\u00002\nE=hunter\u001b[2J\nF=hunter\ud8002\nD=2`;
    const { variables, skipped } = parseEnvText(text);
    assert.deepEqual(variables, [
      { name: 'A', value: '1' },
      { name: 'D', value: '2' },
    ]);
    assert.deepEqual(skipped, [
      { line: 2, reason: 'not NAME=value' },
      { line: 3, reason: "not a variable's name" },
      { line: 4, reason: `its value is not ${VALUE_RULE}` },
      { line: 5, reason: `its value is not ${VALUE_RULE}` },
      { line: 6, reason: `its value is not ${VALUE_RULE}` },
      { line: 7, reason: `its value is not ${VALUE_RULE}` },
    ]);
    assert.ok(!JSON.stringify(skipped).includes('hunter'));
  });
});
