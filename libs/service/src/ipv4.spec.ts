import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostAddresses, hostOf, ipv4Text, parseCidr, parseSubnet } from './ipv4';

describe('IPv4 subnets', () => {
  it('parses IPv4 subnets and refuses anything else', () => {
    assert.deepEqual(parseSubnet('10.87.0.0/24'), {
      text: '10.87.0.0/24',
      network: 0x0a570000,
      mask: 0xffffff00,
    });
    for (const bad of [
      '10.87.0.1/24',
      '10.87.0.0',
      '10.87.0.0/4',
      '10.87.0.0/31',
      '10.87.0/24',
      '::1/64',
      '10.87.0.0/24/1',
    ]) {
      assert.equal(parseSubnet(bad), null, bad);
    }
  });

  it('counts only host addresses as inside', () => {
    const subnet = parseSubnet('10.87.0.0/24')!;
    assert.ok(hostOf(subnet, '10.87.0.2'));
    for (const outside of ['10.87.0.0', '10.87.0.255', '10.87.1.2', '010.87.0.2', '10.87.0.256', 'x']) {
      assert.ok(!hostOf(subnet, outside), outside);
    }
  });

  it("reads an address with its prefix and walks the subnet's host addresses", () => {
    const parsed = parseCidr('10.151.0.1/30');
    assert.equal(parsed && ipv4Text(parsed.address), '10.151.0.1');
    assert.deepEqual([...hostAddresses(parsed!.subnet)].map(ipv4Text), ['10.151.0.1', '10.151.0.2']);
    assert.equal(parseCidr('10.151.0.1'), null);
  });
});
