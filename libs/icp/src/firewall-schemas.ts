import { z } from 'zod';

/**
 * The Guardian's part of the command table: the firewall state the Manager wants, and what the Guardian
 * reports back. Shapes only; the Guardian's own policy (port ranges, reserved ports, subnets) is checked there.
 */
const port = z.number().int().min(1).max(65535);
export const protocol = z.enum(['tcp', 'udp']);

/** Who a rule is for, `kind:name`: `project:org/repo` for a deployment, `container:name` for a member's. */
export const ruleOwner = z.string().regex(/^[a-z]+:[A-Za-z0-9._/-]{1,200}$/, 'must be kind:name');

/** A host port opened to the outside. */
export const openPort = z.object({ owner: ruleOwner, protocol, port }).strict();
export type OpenPort = z.infer<typeof openPort>;

/** A host port forwarded to a port of a container's address. */
export const portForward = z
  .object({ owner: ruleOwner, protocol, hostPort: port, address: z.ipv4(), port })
  .strict();
export type PortForward = z.infer<typeof portForward>;

export const firewallState = z
  .object({ open: z.array(openPort).max(20_000), forwards: z.array(portForward).max(20_000) })
  .strict();
export type FirewallState = z.infer<typeof firewallState>;

/** The Guardian found its rules changed behind its back and restored them. */
export const driftReport = z.object({
  /** Counts up per Guardian process start; the Manager acknowledges up to one to drop them. */
  sequence: z.number().int().nonnegative(),
  /** Identifies the Guardian process that counted `sequence`. */
  boot: z.string(),
  detectedAt: z.string(),
  differences: z.array(z.string()),
});
export type DriftReport = z.infer<typeof driftReport>;

export const firewallReport = firewallState.extend({
  /** Drift not yet acknowledged by the Manager, oldest first. */
  drift: z.array(driftReport),
  /** Whether Docker's DOCKER-USER chain exists and carries the Guardian's rules (null: no dockerd here). */
  dockerUser: z.boolean().nullable(),
});
export type FirewallReport = z.infer<typeof firewallReport>;

const hostPort = z.object({ protocol, port }).strict();

export const firewallCommands = {
  /** Opens a host port for an owner (it stays open until closed or replaced by `applyFirewall`). */
  openPort: { data: openPort, result: firewallReport },
  closePort: { data: hostPort, result: firewallReport },
  forwardPort: { data: portForward, result: firewallReport },
  removeForward: { data: hostPort, result: firewallReport },
  /** The rules as applied, after reading them back from the kernel. */
  listRules: { data: z.object({}).strict(), result: firewallReport },
  /**
   * Replaces the whole state with the Manager's; `acknowledgeDrift` drops drift reports of this boot up to
   * that sequence, which the Manager has recorded.
   */
  applyFirewall: {
    data: firewallState.extend({
      acknowledgeDrift: z.object({ boot: z.string(), sequence: z.number().int() }).strict().optional(),
    }),
    result: firewallReport,
  },
} as const;
