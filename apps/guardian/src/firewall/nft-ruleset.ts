import { FirewallState } from '@testausdeploy/icp';
import { PortRange } from '@testausdeploy/service';
import { TableShape } from './table-shape';

/** The Guardian's own table; nothing outside it is ever written by `nft`. */
export const TABLE = 'testausdeploy';
const PROTOCOLS = ['tcp', 'udp'] as const;
type Protocol = (typeof PROTOCOLS)[number];

/* nft's JSON for the pieces of our rules, as `nft -j list` prints them back. */
const match = (left: unknown, right: unknown, op = '==') => ({ match: { op, left, right } });
const dport = (protocol: Protocol) => ({ payload: { protocol, field: 'dport' } });
const toLocalAddress = match({ fib: { result: 'type', flags: ['daddr'] } }, 'local');

interface Rule {
  chain: string;
  text: string;
  expr: unknown[];
}

/**
 * The rules never change with the state: they look ports up in the sets and maps, which carry the state.
 * Each is written as nft text (what is applied) beside its JSON (what reading it back must give).
 */
const RULES: Rule[] = [
  {
    chain: 'filter_prerouting',
    text: 'iifname "lo" accept',
    expr: [match({ meta: { key: 'iifname' } }, 'lo'), { accept: null }],
  },
  // Before Docker's DNAT (priority -100), so ports Docker publishes are closed like any other.
  ...PROTOCOLS.map((protocol) => ({
    chain: 'filter_prerouting',
    text:
      `ct direction original fib daddr type local ${protocol} dport @managed_ports ` +
      `${protocol} dport != @allowed_${protocol} counter drop`,
    expr: [
      match({ ct: { key: 'direction' } }, 'original'),
      toLocalAddress,
      match(dport(protocol), '@managed_ports'),
      match(dport(protocol), `@allowed_${protocol}`, '!='),
      { counter: null },
      { drop: null },
    ],
  })),
  ...PROTOCOLS.map((protocol) => ({
    chain: 'dnat_prerouting',
    text: `fib daddr type local dnat ip to ${protocol} dport map @forward_${protocol}`,
    expr: [
      toLocalAddress,
      { dnat: { family: 'ip', addr: { map: { key: dport(protocol), data: `@forward_${protocol}` } } } },
    ],
  })),
];

const CHAINS = {
  filter_prerouting: { type: 'filter', hook: 'prerouting', prio: -150, policy: 'accept' },
  dnat_prerouting: { type: 'nat', hook: 'prerouting', prio: -100, policy: 'accept' },
};

const portText = ({ from, to }: PortRange) => (from === to ? `${from}` : `${from}-${to}`);

/** The sets and maps that carry a state, with their elements as `nft -j list` prints them back. */
function collections(state: FirewallState, managed: PortRange[]): TableShape['sets'] {
  const sets: TableShape['sets'] = {
    managed_ports: { type: 'inet_service', flags: ['interval'], elements: managed.map(portText) },
  };
  for (const protocol of PROTOCOLS) {
    const forwards = state.forwards.filter((forward) => forward.protocol === protocol);
    const allowed = [
      ...state.open.filter((open) => open.protocol === protocol).map((open) => open.port),
      ...forwards.map((forward) => forward.hostPort),
    ];
    sets[`allowed_${protocol}`] = { type: 'inet_service', elements: allowed.map(String) };
    sets[`forward_${protocol}`] = {
      type: 'inet_service',
      map: 'ipv4_addr . inet_service',
      elements: forwards.map((forward) => `${forward.hostPort} : ${forward.address} . ${forward.port}`),
    };
  }
  return sets;
}

/** What `nft -j list table` must show for a state: the check after every change and on every reconcile. */
export function expectedShape(state: FirewallState, managed: PortRange[]): TableShape {
  const rules: TableShape['rules'] = {};
  for (const rule of RULES) (rules[rule.chain] ??= []).push(JSON.stringify(rule.expr));
  const sets = collections(state, managed);
  for (const set of Object.values(sets)) set.elements.sort();
  return { chains: CHAINS, sets, rules };
}

/**
 * One `nft -f` transaction that replaces the whole table: create it empty if missing (so the delete cannot
 * fail), delete it, write it anew. Either all of it applies or none.
 */
export function renderRuleset(state: FirewallState, managed: PortRange[]): string {
  const lines = [`table inet ${TABLE} {}`, `delete table inet ${TABLE}`, `table inet ${TABLE} {`];
  lines.push(`  comment "owned by the testausdeploy Guardian: rewritten whole on every change"`);
  for (const [name, set] of Object.entries(collections(state, managed))) {
    const type = set.map ? `${set.type} : ${set.map}` : set.type;
    const flags = set.flags ? ` flags ${set.flags.join(', ')};` : '';
    const elements = set.elements.length > 0 ? ` elements = { ${set.elements.join(', ')} }` : '';
    lines.push(`  ${set.map ? 'map' : 'set'} ${name} { type ${type};${flags}${elements} }`);
  }
  for (const [name, chain] of Object.entries(CHAINS)) {
    lines.push(`  chain ${name} {`);
    lines.push(`    type ${chain.type} hook ${chain.hook} priority ${chain.prio}; policy ${chain.policy};`);
    for (const rule of RULES.filter((candidate) => candidate.chain === name)) lines.push(`    ${rule.text}`);
    lines.push('  }');
  }
  lines.push('}', '');
  return lines.join('\n');
}
