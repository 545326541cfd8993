import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMPOSE_PATH, composePathProblem } from './deployment-source';
import { BRANCH_NAME, branchNameProblem, orgNameProblem } from './git-names';

/** Names around every rule of `git check-ref-format --branch`, and some random ones. */
function candidates(): string[] {
  const tricky = [
    'main',
    'feature/x',
    'release-1.2',
    'a',
    'HEAD',
    '@',
    'HEADx',
    'x@',
    '@{x',
    'a@{b',
    '-x',
    'x-',
    'a..b',
    'a.b',
    '/a',
    'a/',
    'a//b',
    'a/b',
    'a.',
    '.a',
    'a/.b',
    'a/b.',
    'a.lock',
    'a.lock/b',
    'a/b.lock',
    'a.locked',
    'a b',
    'a~b',
    'a^b',
    'a:b',
    'a?b',
    'a*b',
    'a[b',
    'a\\b',
    'a\x7fb',
    'a\tb',
    '',
    'x'.repeat(255),
    'x'.repeat(256),
    'ä/ö',
    '日本',
    'a]b',
    'a{b',
    'a@b',
  ];
  const alphabet = ['a', 'b', '.', '/', '-', '@', '{', 'l', 'o', 'c', 'k', ' ', '~', 'H', 'E', 'A', 'D', 'é'];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  const random = Array.from({ length: 5000 }, () =>
    Array.from({ length: 1 + (next() % 8) }, () => alphabet[next() % alphabet.length]).join(''),
  );
  return [...tricky, ...random];
}

describe('branch names', () => {
  it("the API schema's pattern accepts exactly what branchNameProblem accepts", () => {
    for (const name of candidates()) {
      assert.equal(BRANCH_NAME.test(name), branchNameProblem(name) === undefined, JSON.stringify(name));
    }
  });
});

describe('compose paths', () => {
  it("the API schema's pattern accepts exactly what composePathProblem accepts", () => {
    const paths = [
      ...candidates(),
      'docker-compose.yml',
      'deploy/compose.yaml',
      '../x',
      'a/../b',
      'a/..',
      '..',
      '..a',
      'a..',
      'a\\..\\b',
      '\\x',
      '/etc/passwd',
      'a\0b',
      'a\nb',
      'a\n/../b',
      'a\n..',
      '.',
      './x',
      'x'.repeat(4096),
      'x'.repeat(4097),
    ];
    for (const path of paths)
      assert.equal(COMPOSE_PATH.test(path), composePathProblem(path) === undefined, JSON.stringify(path));
  });
});

describe('organisation names', () => {
  it("take GitHub's rule: letters and digits, single hyphens between them, at most 39", () => {
    for (const name of ['a', 'testausserveri', 'my-org', 'A1-b2-C3', 'x'.repeat(39)])
      assert.equal(orgNameProblem(name), undefined, name);
    // "a--b" would name the second compose project of "a" (apps/worker/src/deploy/handover/project-slots.ts).
    for (const name of ['a--b', '-a', 'a-', '', 'x'.repeat(40), 'a_b', 'a.b', 'ä'])
      assert.match(
        orgNameProblem(name) ?? '',
        /is not a valid GitHub organisation name/,
        JSON.stringify(name),
      );
  });
});
