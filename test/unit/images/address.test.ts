import { describe, it, expect } from 'vitest';
import { addressRange, isPublicAddress } from '../../../lib/images/address';

describe('addressRange', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'], // cloud metadata endpoint
    ['100.64.0.1', 'carrierGradeNat'],
    ['100.127.255.254', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.251', 'multicast'],
    ['192.0.2.10', 'reserved'], // TEST-NET-1
    ['198.18.0.1', 'reserved'], // benchmarking
    ['240.0.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['fe80::1', 'linkLocal'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'], // documentation
    ['::ffff:127.0.0.1', 'ipv4Mapped:loopback'],
    ['::ffff:10.1.2.3', 'ipv4Mapped:private'],
    ['::ffff:169.254.169.254', 'ipv4Mapped:linkLocal'],
    ['64:ff9b::a00:1', 'rfc6052:private'], // NAT64 of 10.0.0.1
    ['64:ff9b::7f00:1', 'rfc6052:loopback'],
    ['64:ff9b:1::a00:1', 'rfc6052'], // local-use NAT64 prefix: refused outright
    ['2002:7f00:1::1', '6to4:loopback'], // 6to4 of 127.0.0.1
    ['2002:c0a8:101::', '6to4:private'], // 6to4 of 192.168.1.1
    ['2001:0:4136:e378::1', 'teredo'],
    ['::7f00:1', 'reserved'], // deprecated IPv4-compatible form of 127.0.0.1
    ['4000::1', 'reserved'], // outside 2000::/3
  ])('classifies %s as non-public (%s)', (ip, range) => {
    expect(addressRange(ip)).toBe(range);
    expect(isPublicAddress(ip)).toBe(false);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.216.34',
    '172.32.0.1', // just outside 172.16/12
    '100.128.0.1', // just outside 100.64/10
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808', // NAT64 of 8.8.8.8
    '2002:808:808::1', // 6to4 of 8.8.8.8
    '[2a00:1450:4001::200e]',
  ])('accepts public unicast %s', (ip) => {
    expect(addressRange(ip)).toBe('unicast');
    expect(isPublicAddress(ip)).toBe(true);
  });

  it('treats unparseable input as invalid, never public', () => {
    expect(addressRange('example.com')).toBe('invalid');
    expect(isPublicAddress('')).toBe(false);
  });
});
