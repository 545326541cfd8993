import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { Injectable } from '@nestjs/common';
import { ChannelKind, Forbidden, InvalidInput } from '@testausdeploy/domain';
import { ManagerConfig } from '../../config/manager-config';

/**
 * IPv4 addresses that are not the public internet (IANA's special-purpose registry): this machine, private and
 * shared networks, link-local (cloud metadata), the 6to4 relay, multicast, reserved, documentation ranges.
 * IPv4 and IPv6 rules are kept apart: a BlockList matches an IPv4 address against IPv6 rules for the mapped
 * range `::ffff:0:0/96`, so one list with both would call every IPv4 address private.
 */
const V4_NOT_PUBLIC = subnets('ipv4', [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 3],
]);

/** IPv6 by allow-list: global unicast (2000::/3) only, less the special ranges inside it. */
const V6_GLOBAL = subnets('ipv6', [['2000::', 3]]);
const V6_NOT_PUBLIC = subnets('ipv6', [
  // IETF protocol assignments (Teredo, benchmarking, ORCHID), documentation, 6to4 (an IPv4 address inside).
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['3fff::', 20],
]);

function subnets(family: 'ipv4' | 'ipv6', list: [string, number][]): BlockList {
  const blocks = new BlockList();
  for (const [net, prefix] of list) blocks.addSubnet(net, prefix, family);
  return blocks;
}

/** Whether `address` (an IP literal) is on the public internet. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !V4_NOT_PUBLIC.check(address, 'ipv4');
  if (family === 6) return V6_GLOBAL.check(address, 'ipv6') && !V6_NOT_PUBLIC.check(address, 'ipv6');
  return false;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * Where notifications may go. A channel's URL is given by a project's maintainer, so the Manager must not become
 * their way into what only it can reach (the database, the nodes' ICP ports, a cloud's metadata service): https
 * on port 443 to public addresses only, to NOTIFICATION_HOSTS only when set, and to a private address, over http
 * or on another port only for the hosts an admin named in NOTIFICATION_PRIVATE_HOSTS. The address is checked where the connection is made,
 * so a name that resolves differently later gets no further.
 */
@Injectable()
export class NotificationTargets {
  private readonly hosts: Set<string>;
  private readonly privateHosts: Set<string>;

  constructor(config: ManagerConfig) {
    this.hosts = new Set(config.NOTIFICATION_HOSTS.map((host) => host.toLowerCase()));
    this.privateHosts = new Set(config.NOTIFICATION_PRIVATE_HOSTS.map((host) => host.toLowerCase()));
  }

  /**
   * The URL, if a channel of `kind` may send to it: refused as Forbidden where this server's policy does not let
   * it, as InvalidInput where it is no such channel's URL. The reason never repeats the URL's secret part.
   */
  check(text: string, kind: ChannelKind): URL {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new InvalidInput('url: not a URL');
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const privateOk = this.privateHosts.has(host);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && privateOk)) {
      throw new Forbidden(
        `url: must be https:// (${url.protocol}// only to hosts this server's admin allowed)`,
      );
    }
    if (url.port && !privateOk) {
      throw new Forbidden(
        "url: only https's own port, 443 (others only to hosts this server's admin allowed)",
      );
    }
    if (url.username || url.password) throw new Forbidden('url: must not hold a user name or password');
    if (isIP(host) && !privateOk && !isPublicAddress(host)) {
      throw new Forbidden(`url: ${host} is not a public address`);
    }
    if (this.hosts.size > 0 && !this.hosts.has(host)) {
      throw new Forbidden(`url: this server sends notifications only to ${[...this.hosts].join(', ')}`);
    }
    if (kind === 'discord' && !url.pathname.startsWith('/api/webhooks/')) {
      throw new InvalidInput("url: a Discord webhook's URL has the path /api/webhooks/<id>/<token>");
    }
    return url;
  }

  /** A `lookup` for http.request that refuses addresses the host may not have. */
  lookupFor(host: string) {
    const privateOk = this.privateHosts.has(host.toLowerCase());
    return (hostname: string, options: object, callback: LookupCallback) =>
      dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
        if (error) return callback(error, []);
        const refused = (addresses as LookupAddress[]).find(
          ({ address }) => !privateOk && !isPublicAddress(address),
        );
        if (refused) {
          const problem = Object.assign(
            new Error(`${hostname} resolves to ${refused.address}, not a public address`),
            {
              code: 'EADDRNOTPUBLIC',
            },
          );
          return callback(problem, []);
        }
        const all = (options as { all?: boolean }).all;
        const [first] = addresses as LookupAddress[];
        if (all) callback(null, addresses);
        else callback(null, first.address, first.family);
      });
  }
}
