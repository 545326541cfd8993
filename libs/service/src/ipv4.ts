/** IPv4 addresses and subnets as numbers, for the Guardian's forward checks and the Worker's address picking. */

/** An IPv4 subnet as a network number and mask. */
export interface Subnet {
  text: string;
  network: number;
  mask: number;
}

/** The address as an unsigned 32-bit number, or null if it is not dotted-quad IPv4. */
export function ipv4Number(address: string): number | null {
  const parts = address.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^(0|[1-9]\d{0,2})$/.test(part) && Number(part) < 256)) {
    return null;
  }
  return parts.reduce((value, part) => value * 256 + Number(part), 0);
}

export function ipv4Text(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** `address/prefix` (prefix 8-30) as the address and its subnet, or null. */
export function parseCidr(text: string): { address: number; subnet: Subnet } | null {
  const [host, bits, extra] = text.split('/');
  const address = ipv4Number(host);
  const prefix = Number(bits);
  if (address === null || extra !== undefined || !/^\d{1,2}$/.test(bits ?? '') || prefix < 8 || prefix > 30) {
    return null;
  }
  const mask = (0xffffffff << (32 - prefix)) >>> 0;
  return { address, subnet: { text, network: (address & mask) >>> 0, mask } };
}

/** A subnet written by its network address (`10.87.0.0/24`, not `10.87.0.1/24`), or null. */
export function parseSubnet(text: string): Subnet | null {
  const parsed = parseCidr(text);
  return parsed && parsed.address === parsed.subnet.network ? parsed.subnet : null;
}

/** The host addresses of the subnet (not its network or broadcast address), in order. */
export function* hostAddresses({ network, mask }: Subnet): Generator<number> {
  const broadcast = (network | ~mask) >>> 0;
  for (let host = network + 1; host < broadcast; host++) yield host;
}

/** Whether `address` is a host address of the subnet (not its network or broadcast address). */
export function hostOf(subnet: Subnet, address: string): boolean {
  const value = ipv4Number(address);
  if (value === null || (value & subnet.mask) >>> 0 !== subnet.network) return false;
  const host = (value & ~subnet.mask) >>> 0;
  return host !== 0 && host !== ~subnet.mask >>> 0;
}
