import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSubnet } from '@testausdeploy/service';
import { IcpError } from '@testausdeploy/icp';
import { checkState, FirewallLimits, mergeRanges } from './firewall-policy';

const limits: FirewallLimits = {
  ranges: [{ from: 8000, to: 8999 }],
  reserved: [{ from: 8022, to: 8022 }],
  subnets: [parseSubnet('10.87.0.0/24')!],
};

describe('firewall policy', () => {
  it('merges overlapping and touching port ranges in order', () => {
    const merged = mergeRanges([
      { from: 9000, to: 9100 },
      { from: 8000, to: 8500 },
      { from: 8400, to: 8999 },
      { from: 22, to: 22 },
    ]);
    assert.deepEqual(merged, [
      { from: 22, to: 22 },
      { from: 8000, to: 9100 },
    ]);
  });

  it('lists every problem of a state at once', () => {
    const state = {
      open: [
        { owner: 'project:a/b', protocol: 'tcp' as const, port: 8022 },
        { owner: 'project:a/b', protocol: 'udp' as const, port: 80 },
      ],
      forwards: [
        { owner: 'container:c', protocol: 'tcp' as const, hostPort: 8100, address: '10.87.1.2', port: 22 },
      ],
    };
    assert.throws(
      () => checkState(state, limits),
      (error: IcpError) =>
        error.code === 'forbidden' &&
        error.message ===
          'open tcp/8022: host port 8022 is reserved; open udp/80: host port 80 is outside the managed ranges; ' +
            'forward tcp/8100 to 10.87.1.2:22: 10.87.1.2 is not a container address in 10.87.0.0/24',
    );
  });

  it('tells protocols apart and keeps a repeated rule once', () => {
    const tcp = { owner: 'project:a/b', protocol: 'tcp' as const, port: 8080 };
    const udp = { ...tcp, protocol: 'udp' as const };
    assert.deepEqual(checkState({ open: [tcp, udp, tcp], forwards: [] }, limits).open, [tcp, udp]);
  });
});
