/**
 * Classification of IP addresses for server-side fetches (SSRF guard). Only plain public
 * unicast addresses are fetchable; everything ipaddr.js places in a special range (private,
 * loopback, link-local, CGNAT, multicast, reserved, documentation, ...) is refused.
 */
import ipaddr from 'ipaddr.js';

/**
 * The range an address belongs to: 'unicast' for a public address, otherwise the name of
 * the special range (for logs and tests), or 'invalid' when it does not parse.
 * IPv6 forms that embed an IPv4 address (IPv4-mapped, NAT64, 6to4) take the embedded
 * address's range, so ::ffff:127.0.0.1 or 2002:7f00:1:: are as loopback as 127.0.0.1.
 */
export function addressRange(ip: string): string {
  const literal = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    addr = ipaddr.parse(literal);
  } catch {
    return 'invalid';
  }
  if (addr.kind() === 'ipv4') return addr.range();

  const v6 = addr as ipaddr.IPv6;
  const range = v6.range();
  const embedded = embeddedIPv4(v6, range);
  if (embedded) {
    const inner = embedded.range();
    return inner === 'unicast' ? 'unicast' : `${range}:${inner}`;
  }
  if (range !== 'unicast') return range;
  // ipaddr.js calls everything outside its special list "unicast", but only 2000::/3 is
  // allocated for global unicast. The rest (including the deprecated IPv4-compatible ::/96,
  // e.g. ::7f00:1) is unassigned or legacy.
  if ((v6.parts[0] & 0xe000) !== 0x2000) return 'reserved';
  return 'unicast';
}

export const isPublicAddress = (ip: string): boolean => addressRange(ip) === 'unicast';

function embeddedIPv4(addr: ipaddr.IPv6, range: string): ipaddr.IPv4 | null {
  const p = addr.parts;
  const fromWords = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  switch (range) {
    case 'ipv4Mapped':
      return addr.toIPv4Address();
    case 'rfc6052':
      // Well-known NAT64 prefix 64:ff9b::/96 carries the IPv4 address in the last 32 bits.
      // The local-use 64:ff9b:1::/48 (RFC 8215) is site-specific and stays refused.
      return p[2] === 0 ? fromWords(p[6], p[7]) : null;
    case '6to4':
      // 2002:AABB:CCDD::/48 routes to the IPv4 site AA.BB.CC.DD.
      return fromWords(p[1], p[2]);
    default:
      return null;
  }
}
