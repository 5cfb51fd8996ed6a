import { lookup as dnsLookup, LookupAddress, LookupAllOptions } from 'node:dns';
import { BlockList, isIP, LookupFunction } from 'node:net';

type Family = 'ipv4' | 'ipv6';

/**
 * Addresses a webhook never reaches unless an operator lists them in WEBHOOK_ALLOWED_DESTINATIONS
 * (tests list 127.0.0.1/32): the IANA special-purpose ranges that are this machine or no host at
 * all (unspecified, loopback, multicast, reserved, broadcast), link-local (cloud metadata at
 * 169.254.169.254), the private and shared networks the platform itself runs in (RFC 1918, ULA,
 * 100.64.0.0/10 with Alibaba Cloud's metadata at 100.100.100.200, 198.18.0.0/15, 192.0.0.0/24),
 * and IPv6 prefixes that only relay or tunnel (Teredo, discard, local NAT64). IPv6 forms that
 * embed an IPv4 address are judged by that address (see `embeddedIpv4`).
 */
const SPECIAL = new BlockList();
for (const [net, prefix, family] of [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.88.99.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['64:ff9b:1::', 48, 'ipv6'],
  ['100::', 64, 'ipv6'],
  ['2001::', 32, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['fec0::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
] as const) {
  SPECIAL.addSubnet(net, prefix, family);
}

/** An IPv6 address as its eight 16-bit groups (a trailing dotted IPv4 part counts as two), or null. */
function ipv6Groups(address: string): number[] | null {
  if (isIP(address) !== 6) return null;
  let text = address.toLowerCase().replace(/%.*$/, '');
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const part = (p: string | undefined) => (p ? p.split(':').map((g) => parseInt(g, 16)) : []);
  const left = part(head);
  const right = part(tail);
  return tail === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/**
 * The IPv4 address an IPv6 address carries, where the packet goes to (or is answered by) that
 * IPv4 host: IPv4-mapped ::ffff:a.b.c.d, IPv4-translated ::ffff:0:a.b.c.d, IPv4-compatible
 * ::a.b.c.d, NAT64 64:ff9b::a.b.c.d and 6to4 2002:AABB:CCDD::. Null for any other address.
 */
function embeddedIpv4(address: string): string | null {
  const g = ipv6Groups(address);
  if (!g) return null;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const zero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zero(0, 5) && g[5] === 0xffff) return v4(g[6], g[7]);
  if (zero(0, 4) && g[4] === 0xffff && g[5] === 0) return v4(g[6], g[7]);
  if (zero(0, 6) && (g[6] !== 0 || g[7] > 1)) return v4(g[6], g[7]);
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(2, 6)) return v4(g[6], g[7]);
  if (g[0] === 0x2002) return v4(g[1], g[2]);
  return null;
}

/** An address as BlockList checks it: IPv4-mapped IPv6 (::ffff:127.0.0.1) as the IPv4 address it is. */
function normalise(address: string): { address: string; family: Family } | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1], family: 'ipv4' };
  const v = isIP(address);
  return v ? { address, family: v === 4 ? 'ipv4' : 'ipv6' } : null;
}

/** The host of a URL as an address when it is written as one ([::1] without its brackets). */
function literalAddress(host: string): { address: string; family: Family } | null {
  return normalise(host.replace(/^\[(.*)\]$/, '$1'));
}

/**
 * Where agencies' webhooks may post (WEBHOOK_ALLOWED_DESTINATIONS): a comma-separated list of
 * host names (`oa.zhangye.gov.cn`), domain suffixes (`.gov.cn`, the domain and every host in it),
 * addresses and ranges (`10.20.0.0/16`, `127.0.0.1/32`). Unset: any host except the special,
 * private and shared addresses above (an office system on an intranet is listed by its range). Checked when a webhook is registered (by the URL's host) and on every delivery
 * (by every address the host resolves to, so a name cannot be pointed at this machine later).
 */
export class WebhookDestinations {
  private readonly names = new Set<string>();
  private readonly suffixes: string[] = [];
  private readonly ranges = new BlockList();
  private readonly restricted: boolean;

  constructor(allowed?: string) {
    const entries = (allowed ?? '')
      .split(',')
      .map((e) => e.trim().toLowerCase())
      .filter(Boolean);
    this.restricted = entries.length > 0;
    for (const entry of entries) {
      const [net, prefix] = entry.split('/');
      const address = normalise(net);
      if (address) this.ranges.addSubnet(address.address, prefix === undefined ? (address.family === 'ipv4' ? 32 : 128) : Number(prefix), address.family);
      else if (entry.startsWith('.')) this.suffixes.push(entry);
      else this.names.add(entry);
    }
  }

  /** Checks a WEBHOOK_ALLOWED_DESTINATIONS value; the reason it is malformed, or null. */
  static malformed(allowed: string): string | null {
    for (const entry of allowed.split(',').map((e) => e.trim())) {
      const [net, prefix, extra] = entry.split('/');
      const address = normalise(net);
      if (prefix !== undefined || extra !== undefined) {
        const max = address?.family === 'ipv6' ? 128 : 32;
        if (!address || extra !== undefined || !/^\d{1,3}$/.test(prefix) || Number(prefix) > max) return `"${entry}" is not an address range like 10.20.0.0/16`;
      } else if (!address && !/^\.?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(entry)) {
        return `"${entry}" is not a host name, a domain suffix like .gov.cn, an address or a range`;
      }
    }
    return null;
  }

  /** Why a webhook may not post to this URL, judged by its host as written; null when it may. */
  refusal(url: string): string | null {
    const host = new URL(url).hostname.toLowerCase();
    const address = literalAddress(host);
    if (address) return this.addressRefusal(address.address, false);
    if (!this.restricted || this.nameAllowed(host)) return null;
    return `${host} is not among the destinations this platform's webhooks may post to`;
  }

  /** Why a webhook may not reach this address; `named`: the host was allowed by its name. */
  addressRefusal(raw: string, named: boolean): string | null {
    const given = normalise(raw);
    if (!given) return `${raw} is not an address`;
    // An IPv6 form of an IPv4 host is judged as that host (so ::7f00:1 is 127.0.0.1).
    const inner = given.family === 'ipv6' ? embeddedIpv4(given.address) : null;
    const a: { address: string; family: Family } = inner ? { address: inner, family: 'ipv4' } : given;
    if (this.ranges.check(a.address, a.family)) return null;
    if (SPECIAL.check(a.address, a.family)) return `${raw} is this machine or a special address (loopback, link-local, a private or shared network), which webhooks may not reach`;
    if (!this.restricted || named) return null;
    return `${a.address} is not among the destinations this platform's webhooks may post to`;
  }

  private nameAllowed(host: string): boolean {
    return this.names.has(host) || this.suffixes.some((s) => host.endsWith(s) || host === s.slice(1));
  }

  /**
   * A DNS lookup for http.request that answers only with addresses this policy lets a webhook
   * reach, failing the request otherwise: the check holds for the address actually connected to.
   */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    const named = !this.restricted || this.nameAllowed(hostname.toLowerCase());
    dnsLookup(hostname, { ...(options as LookupAllOptions), all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const refused = addresses.map((a) => this.addressRefusal(a.address, named)).find((r) => r !== null);
      if (refused) return callback(Object.assign(new Error(`webhook destination refused: ${hostname} resolves to an address it may not reach (${refused})`), { code: 'EDESTINATION' }), '', 0);
      if ((options as LookupAllOptions).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
