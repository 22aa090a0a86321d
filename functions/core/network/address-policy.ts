/**
 * Which network addresses may receive webhooks: the SSRF policy. A webhook URL is typed in by a
 * stranger, so without it an endpoint like `http://169.254.169.254/latest/meta-data/` (the cloud
 * metadata service) or a name that resolves to 10.0.0.5 would make Sluice read the deploying team's
 * private network. Only globally routable unicast addresses pass, unless the operator opts out
 * (allowPrivateNetworks) or allow-lists subnets.
 *
 * This module judges addresses and URLs; it resolves nothing. The HTTP adapter
 * (functions/adapters/http/guarded-lookup.ts) applies it to every address a host name resolves to,
 * connects only to a vetted one, and checks the connected socket again. The API applies checkUrl at
 * endpoint create/update, so IP literals in any notation are refused with a 422 before delivery.
 */
import { embeddedIpv4, inSubnet, parseIp, parseSubnet, subnets, type ParsedIp, type Subnet } from './ip.ts';

export interface AddressPolicyOptions {
  /** Everything is allowed (local mode's default, so receivers on localhost work). */
  allowPrivateNetworks: boolean;
  /** CIDRs that are allowed even though they are not public, e.g. `10.1.0.0/16` for an internal receiver. */
  allowedSubnets: readonly string[];
  /** Only https URLs. */
  requireHttps: boolean;
}

export interface AddressPolicy extends AddressPolicyOptions {
  /** The reason `address` (an IP literal, canonical text) may not receive webhooks, or undefined. */
  checkAddress(address: string): string | undefined;
  /** The reason `url` may not be an endpoint (scheme, https, an IP literal or localhost name), or undefined. */
  checkUrl(url: string): string | undefined;
}

/** Allows everything: the default where no policy is configured (tests, local mode). */
export const OPEN_ADDRESS_POLICY_OPTIONS: AddressPolicyOptions = { allowPrivateNetworks: true, allowedSubnets: [], requireHttps: false };

type Range = readonly [string, number, string];

/** IANA's IPv4 special-purpose registry plus the private, shared and multicast blocks. First match names it. */
const IPV4_RANGES: readonly Range[] = [
  ['255.255.255.255', 32, 'broadcast'],
  ['0.0.0.0', 8, '"this network" (0.0.0.0/8)'],
  ['10.0.0.0', 8, 'private (10.0.0.0/8)'],
  ['100.64.0.0', 10, 'carrier-grade NAT (100.64.0.0/10)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local (169.254.0.0/16, incl. the cloud metadata service)'],
  ['172.16.0.0', 12, 'private (172.16.0.0/12)'],
  ['192.0.0.0', 24, 'IETF protocol assignment (192.0.0.0/24)'],
  ['192.0.2.0', 24, 'documentation (192.0.2.0/24)'],
  ['192.31.196.0', 24, 'AS112 (192.31.196.0/24)'],
  ['192.52.193.0', 24, 'AMT (192.52.193.0/24)'],
  ['192.88.99.0', 24, '6to4 relay anycast (192.88.99.0/24)'],
  ['192.168.0.0', 16, 'private (192.168.0.0/16)'],
  ['192.175.48.0', 24, 'AS112 (192.175.48.0/24)'],
  ['198.18.0.0', 15, 'benchmarking (198.18.0.0/15)'],
  ['198.51.100.0', 24, 'documentation (198.51.100.0/24)'],
  ['203.0.113.0', 24, 'documentation (203.0.113.0/24)'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved (240.0.0.0/4)'],
];

/** IPv6 forms that carry an IPv4 address: judged by that address. Checked before IPV6_RANGES. */
const IPV6_EMBEDDING: readonly (readonly [string, number, 2 | 12, string])[] = [
  ['::ffff:0:0', 96, 12, 'IPv4-mapped'],
  ['64:ff9b::', 96, 12, 'NAT64'],
  ['2002::', 16, 2, '6to4'],
];

const IPV6_RANGES: readonly Range[] = [
  ['::', 128, 'unspecified (::)'],
  ['::1', 128, 'loopback (::1)'],
  ['::', 96, 'IPv4-compatible (deprecated, ::/96)'],
  ['::ffff:0:0:0', 96, 'IPv4-translated (::ffff:0:0:0/96)'],
  ['64:ff9b:1::', 48, 'NAT64 local-use (64:ff9b:1::/48)'],
  ['100::', 64, 'discard-only (100::/64)'],
  ['2001::', 32, 'Teredo (2001::/32)'],
  ['2001::', 23, 'IETF protocol assignment (2001::/23)'],
  ['2001:db8::', 32, 'documentation (2001:db8::/32)'],
  ['3fff::', 20, 'documentation (3fff::/20)'],
  ['5f00::', 16, 'SRv6 (5f00::/16)'],
  ['fc00::', 7, 'unique local (fc00::/7)'],
  ['fe80::', 10, 'link-local (fe80::/10)'],
  ['fec0::', 10, 'site-local (fec0::/10)'],
  ['ff00::', 8, 'multicast (ff00::/8)'],
];

const compile = (ranges: readonly Range[]): [Subnet, string][] =>
  subnets(ranges.map(([a, p]) => [a, p] as const)).map((s, i) => [s, ranges[i]![2]]);

const V4 = compile(IPV4_RANGES);
const V6 = compile(IPV6_RANGES);
const V6_EMBEDDING = IPV6_EMBEDDING.map(([a, p, offset, name]) => ({ subnet: subnets([[a, p]])[0]!, offset, name }));
/** Global unicast: everything else in IPv6 is unassigned or special. */
const GLOBAL_UNICAST = subnets([['2000::', 3]])[0]!;

/** What kind of non-public address `ip` is, or undefined if it is public. */
export function nonPublicKind(ip: ParsedIp): string | undefined {
  if (ip.family === 4) return V4.find(([s]) => inSubnet(ip, s))?.[1];
  for (const { subnet, offset, name } of V6_EMBEDDING) {
    if (!inSubnet(ip, subnet)) continue;
    const inner = nonPublicKind(embeddedIpv4(ip, offset));
    return inner === undefined ? undefined : `${name} form of ${inner}`;
  }
  const special = V6.find(([s]) => inSubnet(ip, s))?.[1];
  if (special !== undefined) return special;
  return inSubnet(ip, GLOBAL_UNICAST) ? undefined : 'unassigned (outside 2000::/3)';
}

/** Parses the allow-list; throws on a malformed entry (configuration is validated at cold start). */
export function parseAllowedSubnets(entries: readonly string[]): Subnet[] {
  return entries.map((entry) => {
    const subnet = parseSubnet(entry);
    if (subnet === undefined) throw new Error(`not a CIDR subnet: "${entry}"`);
    return subnet;
  });
}

/** `localhost` and `*.localhost` always mean loopback (RFC 6761); judged as 127.0.0.1 without resolving. */
const LOCALHOST = /(^|\.)localhost\.?$/i;

export function createAddressPolicy(options: AddressPolicyOptions): AddressPolicy {
  const allowed = parseAllowedSubnets(options.allowedSubnets);
  const isAllowListed = (ip: ParsedIp): boolean => {
    if (allowed.some((s) => inSubnet(ip, s))) return true;
    // An allow-listed IPv4 subnet also covers its IPv4-mapped / NAT64 / 6to4 forms.
    const embedding = ip.family === 6 ? V6_EMBEDDING.find(({ subnet }) => inSubnet(ip, subnet)) : undefined;
    return embedding !== undefined && allowed.some((s) => inSubnet(embeddedIpv4(ip, embedding.offset), s));
  };
  const refusal = (address: string, kind: string): string =>
    `Delivery to ${address} is refused: not a public address (${kind}); ` +
    'allowed only with SLUICE_ALLOW_PRIVATE_NETWORKS=true or a matching SLUICE_ALLOWED_SUBNETS entry';

  function checkAddress(address: string): string | undefined {
    if (options.allowPrivateNetworks) return undefined;
    const ip = parseIp(address);
    if (ip === undefined) return `Delivery to "${address}" is refused: not an IP address`;
    if (isAllowListed(ip)) return undefined;
    const kind = nonPublicKind(ip);
    return kind === undefined ? undefined : refusal(address, kind);
  }

  function checkUrl(text: string): string | undefined {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return 'must be a valid URL';
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http or https URL';
    if (options.requireHttps && url.protocol !== 'https:') return 'must be an https URL (SLUICE_REQUIRE_HTTPS is on)';
    if (options.allowPrivateNetworks) return undefined;
    // WHATWG URL has already rewritten 2130706433, 0x7f000001, 0177.0.0.1 and 127.1 to 127.0.0.1.
    const host = url.hostname;
    if (parseIp(host) !== undefined) return checkAddress(host.replace(/^\[|\]$/g, ''));
    if (LOCALHOST.test(host)) return checkAddress('127.0.0.1') === undefined ? undefined : refusal(host, 'loopback');
    return undefined;
  }

  return { ...options, allowedSubnets: [...options.allowedSubnets], checkAddress, checkUrl };
}
