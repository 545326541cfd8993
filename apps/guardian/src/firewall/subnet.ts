/** An IPv4 subnet as a network number and mask, for containment checks. */
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

export function parseSubnet(text: string): Subnet | null {
  const [address, bits, extra] = text.split('/');
  const network = ipv4Number(address);
  const prefix = Number(bits);
  if (network === null || extra !== undefined || !/^\d{1,2}$/.test(bits ?? '') || prefix < 8 || prefix > 30) {
    return null;
  }
  const mask = (0xffffffff << (32 - prefix)) >>> 0;
  if ((network & mask) >>> 0 !== network) return null;
  return { text, network, mask };
}

/** Whether `address` is a host address of the subnet (not its network or broadcast address). */
export function hostOf(subnet: Subnet, address: string): boolean {
  const value = ipv4Number(address);
  if (value === null || (value & subnet.mask) >>> 0 !== subnet.network) return false;
  const host = (value & ~subnet.mask) >>> 0;
  return host !== 0 && host !== ~subnet.mask >>> 0;
}
