/**
 * The address rules of the outbound policy (outbound.ts): which addresses and names are refused by default
 * (loopback, private, link-local, metadata, reserved … in every notation) and what OUTBOUND_ALLOW opens.
 */
import { BlockList, isIP } from 'node:net';

type Family = 'ipv4' | 'ipv6';
export const familyOf = (ip: string): Family => (isIP(ip) === 6 ? 'ipv6' : 'ipv4');

/** Address ranges refused by default, each with the reason given (first match wins). */
const refusedRanges: [string, number, string][] = [
  ['0.0.0.0', 8, 'an unspecified ("this network") address'],
  ['10.0.0.0', 8, 'a private address'],
  ['100.64.0.0', 10, 'a shared (carrier-grade NAT) address'],
  ['127.0.0.0', 8, 'a loopback address'],
  ['169.254.0.0', 16, 'a link-local address (cloud metadata lives here)'],
  ['172.16.0.0', 12, 'a private address'],
  ['192.0.0.0', 24, 'a reserved address'],
  ['192.0.2.0', 24, 'a documentation address'],
  ['192.88.99.0', 24, 'a reserved address'],
  ['192.168.0.0', 16, 'a private address'],
  ['198.18.0.0', 15, 'a reserved (benchmarking) address'],
  ['198.51.100.0', 24, 'a documentation address'],
  ['203.0.113.0', 24, 'a documentation address'],
  ['224.0.0.0', 4, 'a multicast address'],
  ['240.0.0.0', 4, 'a reserved or broadcast address'],
  ['::', 128, 'the unspecified address'],
  ['::1', 128, 'a loopback address'],
  ['::', 96, 'an IPv4-compatible (deprecated) address'],
  ['::ffff:0:0:0', 96, 'an IPv4-translated address'],
  ['64:ff9b:1::', 48, 'a local-use NAT64 address'],
  ['100::', 64, 'a discard-only address'],
  ['2001:db8::', 32, 'a documentation address'],
  ['2001::', 23, 'a special-purpose address (Teredo and others)'],
  ['fc00::', 7, 'a unique local address'],
  ['fe80::', 10, 'a link-local address'],
  ['fec0::', 10, 'a site-local address'],
  ['ff00::', 8, 'a multicast address'],
];
const refusedLists = refusedRanges.map(([address, prefix, reason]) => {
  const list = new BlockList();
  list.addSubnet(address, prefix, familyOf(address));
  return { list, reason };
});

/** The eight 16-bit groups of an IPv6 address (valid, as isIP says), a trailing dotted quad included. */
function groups(ip: string): number[] {
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  const s = quad
    ? `${ip.slice(0, quad.index)}${((+quad[1]! << 8) | +quad[2]!).toString(16)}:${((+quad[3]! << 8) | +quad[4]!).toString(16)}`
    : ip;
  const [head, tail] = s.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((x) => parseInt(x, 16));
}
const quadOf = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

const metadataNames = new Set(['metadata.goog', 'metadata.google.internal', 'instance-data.ec2.internal', 'metadata.tencentyun.com']);
const localSuffixes = ['.localhost', '.local', '.internal', '.home.arpa'];
const hostName = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/** A host as compared: lower case, without IPv6 brackets, zone or a final dot. */
export const normalHost = (host: string) =>
  host
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/%.*$/, '')
    .replace(/\.$/, '');
export const shown = (s: string) => (s.length > 80 ? `${s.slice(0, 80)}…` : s);

/**
 * Checks and normalises OUTBOUND_ALLOW's entries (comma-separated host names, addresses and CIDRs);
 * throws an Error naming the first entry that is none of those.
 */
export function parseAllowList(text: string): string[] {
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  for (const e of entries) {
    const [address = '', prefix, extra] = normalHost(e).split('/');
    const max = isIP(address) === 6 ? 128 : 32;
    const ok =
      prefix === undefined
        ? isIP(address) > 0 || hostName.test(address)
        : extra === undefined && isIP(address) > 0 && /^\d{1,3}$/.test(prefix) && +prefix <= max;
    if (!ok) throw new Error(`"${shown(e)}" is not a host name, an IP address or a CIDR (address/prefix)`);
  }
  return entries;
}

/** The checks of one allow-list: names it opens, why an address is refused, why a name is refused. */
export function addressRules(allow: string[]) {
  const allowedNames = new Set<string>();
  const allowed = new BlockList();
  for (const entry of parseAllowList(allow.join(','))) {
    const [address, prefix] = normalHost(entry).split('/') as [string, string | undefined];
    if (!isIP(address)) allowedNames.add(address);
    else if (prefix === undefined) allowed.addAddress(address, familyOf(address));
    else allowed.addSubnet(address, +prefix, familyOf(address));
  }

  /** Why an address may not be reached (what it is), or undefined when it may. */
  const refusal = (ip: string): string | undefined => {
    const family = familyOf(ip);
    const g = family === 'ipv6' ? groups(ip) : [];
    // An IPv4-mapped address reaches the IPv4 host: it is that address.
    if (family === 'ipv6' && g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
      const v4 = quadOf(g[6]!, g[7]!);
      const r = refusal(v4);
      return r && `the IPv4-mapped form of ${v4}, ${r}`;
    }
    if (allowed.check(ip, family)) return undefined;
    const range = refusedLists.find((r) => r.list.check(ip, family));
    if (range) return range.reason;
    if (family === 'ipv4') return undefined;
    // NAT64 and 6to4 carry an IPv4 address: refused when it is.
    const nat64 = g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0);
    const embedded = nat64 ? quadOf(g[6]!, g[7]!) : g[0] === 0x2002 ? quadOf(g[1]!, g[2]!) : undefined;
    if (embedded) {
      const r = refusal(embedded);
      return r && `the ${nat64 ? 'NAT64' : '6to4'} form of ${embedded}, ${r}`;
    }
    return (g[0]! & 0xe000) === 0x2000 ? undefined : 'a reserved address';
  };

  const nameRefusal = (host: string): string | undefined => {
    if (host === 'localhost' || localSuffixes.some((s) => host.endsWith(s))) return `${shown(host)} is a local name`;
    if (metadataNames.has(host)) return `${shown(host)} is a cloud metadata name`;
    if (!host.includes('.')) return `${shown(host)} is a single-label name (resolved through local search domains)`;
    return undefined;
  };
  return { allowedNames, refusal, nameRefusal };
}
