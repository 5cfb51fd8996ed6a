import { lookup as dnsLookup, LookupAddress, LookupAllOptions } from 'node:dns';
import { BlockList, isIP, LookupFunction } from 'node:net';

type Family = 'ipv4' | 'ipv6';

/**
 * Addresses that are this machine or no host at all (loopback, unspecified, link-local, which holds
 * cloud metadata endpoints, multicast, reserved): a webhook never reaches them unless an operator
 * lists the range in WEBHOOK_ALLOWED_DESTINATIONS (tests list 127.0.0.1/32).
 */
const SPECIAL = new BlockList();
for (const [net, prefix, family] of [
  ['0.0.0.0', 8, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
] as const) {
  SPECIAL.addSubnet(net, prefix, family);
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
 * addresses and ranges (`10.20.0.0/16`, `127.0.0.1/32`). Unset: any host except the special
 * addresses above. Checked when a webhook is registered (by the URL's host) and on every delivery
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
    const a = normalise(raw);
    if (!a) return `${raw} is not an address`;
    if (this.ranges.check(a.address, a.family)) return null;
    if (SPECIAL.check(a.address, a.family)) return `${a.address} is this machine or a special address, which webhooks may not reach`;
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
