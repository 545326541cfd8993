import { z } from 'zod';
import { HOST_NAME } from '@testausdeploy/domain';
import { driftReport, ruleOwner } from './firewall-schemas';

/**
 * The Guardian's reverse proxy routes: which host names reach which upstream addresses, and what the Guardian
 * reports back. Shapes only; the Guardian's own policy (upstream subnets, one owner per host name) is checked there.
 */

/** A DNS host name in lower case, like app.example.org. */
export const hostName = z
  .string()
  .max(253)
  .regex(HOST_NAME, 'must be a host name in lower case, like app.example.org');

/** An address and port the proxy passes a route's requests to (a service's container on the apps network). */
export const upstream = z.object({ address: z.ipv4(), port: z.number().int().min(1).max(65535) }).strict();
export type Upstream = z.infer<typeof upstream>;

/** Requests for `hosts` go to `upstreams`, over HTTPS with a certificate for each host name. */
export const proxyRoute = z
  .object({
    owner: ruleOwner,
    hosts: z.array(hostName).min(1).max(100),
    upstreams: z.array(upstream).min(1).max(20),
  })
  .strict();
export type ProxyRoute = z.infer<typeof proxyRoute>;

export const proxyState = z.object({ routes: z.array(proxyRoute).max(5_000) }).strict();
export type ProxyState = z.infer<typeof proxyState>;

/**
 * A host name's certificate as Caddy holds it: `issued` (valid, more than a third of its life left), `renewing`
 * (less: Caddy renews it now), `pending` (none yet, and no failure), `failed` (none, and the last try failed:
 * `reason` is the CA's or the network's words).
 */
export const certificateState = z.object({
  host: z.string(),
  state: z.enum(['issued', 'renewing', 'pending', 'failed']),
  notAfter: z.string().nullable(),
  reason: z.string().nullable(),
});
export type CertificateState = z.infer<typeof certificateState>;

export const proxyReport = proxyState.extend({
  /** Drift not yet acknowledged by the Manager, oldest first. */
  drift: z.array(driftReport),
  /** Every routed host name's certificate. */
  certificates: z.array(certificateState),
  /** Every routed host name's requests since `requestsSince` (the Guardian's start), from Caddy's access log. */
  requests: z.array(
    z.object({ host: z.string(), requests: z.number().int(), serverErrors: z.number().int() }),
  ),
  requestsSince: z.string(),
  /**
   * Every routed host name's requests per ended hour (`hour`: its start) of the last day, by the route's owner
   * when they were counted.
   */
  hours: z
    .array(
      z.object({
        host: z.string(),
        hour: z.string(),
        owner: z.string(),
        requests: z.number().int(),
        serverErrors: z.number().int(),
      }),
    )
    .max(20_000),
});
export type ProxyReport = z.infer<typeof proxyReport>;

export const proxyCommands = {
  /** The routes as the proxy holds them, after reading its configuration back. */
  listRoutes: { data: z.object({}).strict(), result: proxyReport },
  /**
   * Replaces every route with the Manager's; `acknowledgeDrift` drops drift reports of this boot up to that
   * sequence, which the Manager has recorded.
   */
  applyRoutes: {
    data: proxyState.extend({
      acknowledgeDrift: z.object({ boot: z.string(), sequence: z.number().int() }).strict().optional(),
    }),
    result: proxyReport,
  },
} as const;
