import { Conflict, InvalidInput, Unavailable } from '../errors';

/** What runs on a node: a deployed project (its compose projects) or a member's container. */
export type WorkloadKind = 'project' | 'container';

/** A node's labels that keep one kind of workload off it, unless an admin names the node. */
export const ONLY_LABELS: Record<WorkloadKind, string> = {
  project: 'projects-only',
  container: 'containers-only',
};

/**
 * How a node was chosen: named in the request, the freest of those with the labels asked for, the freest, or
 * the only Worker there was when something made before placements were recorded got its node.
 */
export type PlacementRule = 'named' | 'labels' | 'capacity' | 'only';

export interface Placement {
  node: string;
  rule: PlacementRule;
  /** In words, with the figures the choice was made by: what the dashboard and the audit log show. */
  reason: string;
}

/** The figures of a Worker's capacity report that placement reads. */
export interface CapacityFigures {
  cpus: number;
  load1: number;
  memory: { totalBytes: number; availableBytes: number };
  repositories: { totalBytes: number; freeBytes: number };
  storagePool: { totalBytes: number; freeBytes: number } | null;
}

/** A Worker as placement sees it. */
export interface NodeCandidate {
  name: string;
  labels: readonly string[];
  draining: boolean;
  connected: boolean;
  capacity: CapacityFigures | null;
  /** Workloads placed on it since its capacity was measured: each counts as `estimateBytes` of its memory. */
  placedSince: number;
}

export interface PlacementRequest {
  kind: WorkloadKind;
  /** An admin's choice: this node, whatever its capacity and labels. */
  node?: string;
  /** Only nodes with every one of these labels. */
  labels?: readonly string[];
  /** What one workload is taken to need of a node's memory until its next capacity report. */
  estimateBytes: number;
}

const percent = (share: number) => `${Math.round(share * 100)}%`;

/** The share of a node that is free, by its scarcest resource (memory, CPU, the disk the kind uses). */
export function freeShare(
  { capacity, placedSince }: NodeCandidate,
  kind: WorkloadKind,
  estimateBytes: number,
): { share: number; scarcest: string } | null {
  const disk = kind === 'project' ? capacity?.repositories : capacity?.storagePool;
  if (!capacity || !disk) return null;
  const { memory, cpus, load1 } = capacity;
  const shares: [string, number][] = [
    ['memory', Math.max(0, memory.availableBytes - placedSince * estimateBytes) / memory.totalBytes],
    ['CPU', Math.max(0, 1 - load1 / cpus)],
    [
      kind === 'project' ? "the repositories' disk" : "the containers' pool",
      disk.freeBytes / disk.totalBytes,
    ],
  ];
  const [scarcest, share] = shares.reduce((low, one) => (one[1] < low[1] ? one : low));
  return { share, scarcest };
}

/** Why `node` cannot take a new workload of `kind` by rule; null when it can. */
function exclusion(node: NodeCandidate, request: PlacementRequest): { why: string; lasting: boolean } | null {
  if (node.draining) return { why: `${node.name} is being drained`, lasting: true };
  const missing = (request.labels ?? []).filter((label) => !node.labels.includes(label));
  if (missing.length > 0) return { why: `${node.name} lacks ${missing.join(', ')}`, lasting: true };
  const other = request.kind === 'project' ? ONLY_LABELS.container : ONLY_LABELS.project;
  if (node.labels.includes(other)) return { why: `${node.name} is ${other}`, lasting: true };
  if (!node.connected) return { why: `${node.name} is unreachable`, lasting: false };
  if (!node.capacity) return { why: `${node.name} has not reported its capacity yet`, lasting: false };
  if (request.kind === 'container' && !node.capacity.storagePool)
    return { why: `${node.name} has no LXD that answers`, lasting: false };
  return null;
}

/**
 * Where a new workload goes (docs/scaling.md, "Placement"): the node an admin named, if it can take it; else,
 * of the nodes that are neither drained nor unreachable, that have every label asked for and are not kept for
 * the other kind, the one whose scarcest resource has the largest free share (fewest placed since measured,
 * then name, on a tie). Refused with every node's reason: a 409 when nothing will change by itself, else a 503.
 */
export function chooseNode(candidates: readonly NodeCandidate[], request: PlacementRequest): Placement {
  const { kind, estimateBytes } = request;
  if (candidates.length === 0) throw new Conflict('no Worker is enrolled: enrol one with POST /nodes');
  if (request.node !== undefined) {
    const named = candidates.find((node) => node.name === request.node);
    if (!named) throw new InvalidInput(`node "${request.node}" is not an enrolled Worker`);
    if (named.draining) throw new Conflict(`${named.name} is being drained: it takes nothing new`);
    if (!named.connected)
      throw new Unavailable(`${named.name} is unreachable: it takes nothing new until it answers`);
    if (kind === 'container' && named.capacity && !named.capacity.storagePool)
      throw new Conflict(`${named.name} has no LXD that answers: it cannot run containers`);
    return { node: named.name, rule: 'named', reason: `${named.name} was named in the request` };
  }
  const refusals: { why: string; lasting: boolean }[] = [];
  const eligible: { node: NodeCandidate; share: number; scarcest: string }[] = [];
  for (const node of candidates) {
    const excluded = exclusion(node, request);
    const free = excluded ? null : freeShare(node, kind, estimateBytes);
    if (excluded || !free) refusals.push(excluded ?? { why: `${node.name} is not measured`, lasting: false });
    else eligible.push({ node, ...free });
  }
  if (eligible.length === 0) {
    const reasons = refusals.map(({ why }) => why).join('; ');
    const message = `no node can take a new ${kind}: ${reasons}`;
    throw refusals.every(({ lasting }) => lasting) ? new Conflict(message) : new Unavailable(message);
  }
  eligible.sort(
    (a, b) =>
      b.share - a.share || a.node.placedSince - b.node.placedSince || a.node.name.localeCompare(b.node.name),
  );
  const [best, ...others] = eligible;
  const labels = request.labels ?? [];
  const among = labels.length > 0 ? ` of the nodes labelled ${labels.join(', ')}` : '';
  const against = others
    .slice(0, 3)
    .map(({ node, share }) => `${node.name} ${percent(share)}`)
    .join(', ');
  return {
    node: best.node.name,
    rule: labels.length > 0 ? 'labels' : 'capacity',
    reason:
      `most free capacity${among}: ${percent(best.share)} of ${best.scarcest} free, its scarcest resource` +
      (against ? ` (${against})` : ''),
  };
}
