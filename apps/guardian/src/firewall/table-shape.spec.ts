import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectedShape, renderRuleset } from './nft-ruleset';
import { differences, readShape } from './table-shape';

const state = {
  open: [{ owner: 'project:a/b', protocol: 'tcp' as const, port: 8080 }],
  forwards: [
    { owner: 'container:c', protocol: 'udp' as const, hostPort: 22001, address: '10.87.0.2', port: 53 },
  ],
};
const managed = [
  { from: 22, to: 22 },
  { from: 8000, to: 8999 },
];

describe('nft ruleset', () => {
  it('replaces the whole table in one transaction', () => {
    const lines = renderRuleset(state, managed).split('\n');
    assert.deepEqual(lines.slice(0, 3), [
      'table inet testausdeploy {}',
      'delete table inet testausdeploy',
      'table inet testausdeploy {',
    ]);
    assert.ok(
      lines.includes(
        '  set managed_ports { type inet_service; flags interval; elements = { 22, 8000-8999 } }',
      ),
    );
    assert.ok(lines.includes('  set allowed_udp { type inet_service; elements = { 22001 } }'));
    assert.ok(
      lines.includes(
        '  map forward_udp { type inet_service : ipv4_addr . inet_service; elements = { 22001 : 10.87.0.2 . 53 } }',
      ),
    );
    assert.ok(
      lines.includes('  map forward_tcp { type inet_service : ipv4_addr . inet_service; }'),
      'no empty elements',
    );
  });

  it('reads nft JSON into the shape it expects, counters and handles aside', () => {
    const expected = expectedShape(state, managed);
    const json = {
      nftables: [
        { metainfo: { version: '1.0.6' } },
        { table: { family: 'inet', name: 'testausdeploy', handle: 9 } },
        ...Object.entries(expected.sets).map(([name, set], handle) => ({
          [set.map ? 'map' : 'set']: {
            name,
            handle,
            type: set.type,
            ...(set.map ? { map: set.map } : {}),
            ...(set.flags ? { flags: set.flags } : {}),
            elem: set.elements.map((element) => {
              if (element.includes(' : ')) {
                const [key, value] = element.split(' : ');
                const [address, port] = value.split(' . ');
                return [Number(key), { concat: [address, Number(port)] }];
              }
              const [from, to] = element.split('-').map(Number);
              return to === undefined ? from : { range: [from, to] };
            }),
          },
        })),
        ...Object.entries(expected.chains).map(([name, chain]) => ({ chain: { name, handle: 1, ...chain } })),
        ...Object.entries(expected.rules).flatMap(([chain, rules]) =>
          rules.map((rule) => ({
            rule: {
              chain,
              handle: 5,
              expr: (JSON.parse(rule) as object[]).map((item) =>
                'counter' in item ? { counter: { packets: 7, bytes: 420 } } : item,
              ),
            },
          })),
        ),
      ],
    };
    assert.deepEqual(differences(expected, readShape(JSON.stringify(json))), []);
  });

  it('names each difference', () => {
    const expected = expectedShape(state, managed);
    const actual = structuredClone(expected);
    actual.sets.allowed_tcp.elements = ['9000'];
    actual.rules.filter_prerouting.pop();
    actual.rules.dnat_prerouting[0] = '[{"accept":null}]';
    delete actual.chains.dnat_prerouting;
    actual.sets.extra = { type: 'ipv4_addr', elements: [] };
    assert.deepEqual(differences(expected, actual), [
      'chain filter_prerouting has 2 rules, not the 3 written',
      'chain dnat_prerouting is missing',
      'chain dnat_prerouting has rules other than those written',
      'set allowed_tcp lacks 8080',
      'set allowed_tcp has extra 9000',
      'set extra was added',
    ]);
  });
});
