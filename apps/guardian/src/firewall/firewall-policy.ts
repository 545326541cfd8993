import { FirewallState, IcpError, IcpErrorCode } from '@testausdeploy/icp';
import { hostOf, PortRange, Subnet } from '@testausdeploy/service';

export interface FirewallLimits {
  /** Host ports the Manager may open or forward. */
  ranges: PortRange[];
  /** Host ports that can never be opened or forwarded. */
  reserved: PortRange[];
  /** Where forwards may point. */
  subnets: Subnet[];
}

const within = (ranges: PortRange[], port: number) =>
  ranges.some(({ from, to }) => port >= from && port <= to);

/** Sorts ranges and joins those that overlap or touch, as nft's interval sets need them. */
export function mergeRanges(ranges: PortRange[]): PortRange[] {
  const merged: PortRange[] = [];
  for (const range of [...ranges].sort((a, b) => a.from - b.from)) {
    const last = merged.at(-1);
    if (last && range.from <= last.to + 1) last.to = Math.max(last.to, range.to);
    else merged.push({ ...range });
  }
  return merged;
}

/**
 * Checks a whole desired state against the Guardian's own limits, whatever the Manager says: every refusal
 * names the rule and the reason, all of them at once, and a refused state changes nothing. The same rule
 * listed twice by its owner counts once.
 */
export function checkState(state: FirewallState, limits: FirewallLimits): FirewallState {
  const problems: string[] = [];
  const claims = new Map<string, { owner: string; what: string }>();
  /** Whether the rule is new; a repeat of the same rule by its owner is dropped, any other clash refused. */
  const claim = (protocol: string, port: number, owner: string, what: string): boolean => {
    if (within(limits.reserved, port)) problems.push(`${what}: host port ${port} is reserved`);
    else if (!within(limits.ranges, port))
      problems.push(`${what}: host port ${port} is outside the managed ranges`);
    const key = `${protocol}/${port}`;
    const earlier = claims.get(key);
    if (!earlier) claims.set(key, { owner, what });
    else if (earlier.owner !== owner || earlier.what !== what) {
      problems.push(
        `${what} of ${owner}: host port ${key} is also claimed by ${earlier.what} of ${earlier.owner}`,
      );
    }
    return !earlier;
  };
  const open = state.open.filter((rule) =>
    claim(rule.protocol, rule.port, rule.owner, `open ${rule.protocol}/${rule.port}`),
  );
  const forwards = state.forwards.filter((rule) => {
    const what = `forward ${rule.protocol}/${rule.hostPort} to ${rule.address}:${rule.port}`;
    if (!limits.subnets.some((subnet) => hostOf(subnet, rule.address))) {
      const subnets = limits.subnets.map((subnet) => subnet.text).join(', ');
      problems.push(`${what}: ${rule.address} is not a container address in ${subnets}`);
    }
    return claim(rule.protocol, rule.hostPort, rule.owner, what);
  });
  if (problems.length > 0) throw new IcpError(IcpErrorCode.Forbidden, problems.join('; '));
  return { open, forwards };
}
