import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DockerLogLines } from './docker-log-lines';

/** One frame of dockerd's multiplexed log format. */
const frame = (stream: 1 | 2, text: string | Buffer) => {
  const payload = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};

function parse(tty: boolean, chunks: Buffer[]): string[] {
  const lines: string[] = [];
  const parser = new DockerLogLines(tty, (line) => lines.push(line));
  chunks.forEach((chunk) => parser.push(chunk));
  parser.end();
  return lines;
}

describe('DockerLogLines', () => {
  it('splits multiplexed frames into lines, keeping stdout and stderr apart', () => {
    const bytes = Buffer.concat([frame(1, 'one\ntw'), frame(2, 'oops\n'), frame(1, 'o\nthree')]);
    assert.deepEqual(parse(false, [bytes]), ['one', 'oops', 'two', 'three']);
  });

  it('copes with chunks that split headers, payloads and UTF-8 characters anywhere', () => {
    const bytes = Buffer.concat([frame(1, 'héllo wörld\r\n'), frame(2, Buffer.from('ünïcode\n'))]);
    for (let cut = 1; cut < bytes.length; cut++) {
      assert.deepEqual(parse(false, [bytes.subarray(0, cut), bytes.subarray(cut)]), [
        'héllo wörld',
        'ünïcode',
      ]);
    }
    const oneByOne = [...bytes].map((byte) => Buffer.from([byte]));
    assert.deepEqual(parse(false, oneByOne), ['héllo wörld', 'ünïcode']);
  });

  it('reads a TTY container raw, without headers', () => {
    assert.deepEqual(parse(true, [Buffer.from('a\nb'), Buffer.from('c\n\n')]), ['a', 'bc', '']);
  });
});
