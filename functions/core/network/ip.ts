/**
 * IP addresses as bytes, and CIDR subnets over them: the arithmetic under the SSRF policy
 * (./address-policy.ts). Written out rather than taken from node:net's BlockList because the policy
 * must look *inside* some IPv6 addresses (IPv4-mapped, NAT64, 6to4) at the IPv4 they carry, which
 * needs the bytes, and because a pure module is trivially table-tested.
 *
 * Only canonical textual forms are parsed here: dotted-quad IPv4 (four decimal parts, each 0-255, no
 * leading zeros) and RFC 4291 IPv6 (with `::`, an optional trailing dotted quad and an optional
 * `%zone`, which is dropped). Odd IPv4 notations (`2130706433`, `0x7f.1`, `0177.0.0.1`, `127.1`) never
 * reach this module: WHATWG URL parsing (new URL) already rewrites them to the dotted quad, and the
 * resolver returns canonical text.
 */

export interface ParsedIp {
  family: 4 | 6;
  /** 4 or 16 bytes, network order. */
  bytes: Uint8Array;
}

const DOTTED_QUAD = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function parseIpv4(text: string): Uint8Array | undefined {
  if (!DOTTED_QUAD.test(text)) return undefined;
  return Uint8Array.from(text.split('.').map(Number));
}

/** Parses one side of a `::` into 16-bit groups; a trailing dotted quad counts as two groups. */
function groups(side: string, allowQuad: boolean): number[] | undefined {
  if (side === '') return [];
  const parts = side.split(':');
  const out: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (allowQuad && i === parts.length - 1 && part.includes('.')) {
      const quad = parseIpv4(part);
      if (quad === undefined) return undefined;
      out.push((quad[0]! << 8) | quad[1]!, (quad[2]! << 8) | quad[3]!);
    } else if (/^[0-9a-f]{1,4}$/i.test(part)) {
      out.push(parseInt(part, 16));
    } else {
      return undefined;
    }
  }
  return out;
}

function parseIpv6(text: string): Uint8Array | undefined {
  const address = text.replace(/%.*$/, '');
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  let words: number[];
  if (halves.length === 2) {
    const head = groups(halves[0]!, false);
    const tail = groups(halves[1]!, true);
    if (head === undefined || tail === undefined || head.length + tail.length > 7) return undefined;
    words = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = groups(address, true);
    if (all === undefined || all.length !== 8) return undefined;
    words = all;
  }
  const bytes = new Uint8Array(16);
  words.forEach((word, i) => {
    bytes[2 * i] = word >> 8;
    bytes[2 * i + 1] = word & 0xff;
  });
  return bytes;
}

/** An IP literal as bytes; undefined if `text` is not one. Square brackets (`[::1]`) are accepted. */
export function parseIp(text: string): ParsedIp | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const v4 = parseIpv4(bare);
  if (v4 !== undefined) return { family: 4, bytes: v4 };
  if (!bare.includes(':')) return undefined;
  const v6 = parseIpv6(bare);
  return v6 === undefined ? undefined : { family: 6, bytes: v6 };
}

export interface Subnet {
  family: 4 | 6;
  bytes: Uint8Array;
  prefix: number;
  /** As written, for messages. */
  text: string;
}

/** `10.0.0.0/8`, `fc00::/7`; a bare address is a /32 or /128. Undefined if malformed. */
export function parseSubnet(text: string): Subnet | undefined {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const ip = parseIp(slash === -1 ? trimmed : trimmed.slice(0, slash));
  if (ip === undefined) return undefined;
  const max = ip.family === 4 ? 32 : 128;
  const prefixText = slash === -1 ? String(max) : trimmed.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > max) return undefined;
  return { family: ip.family, bytes: ip.bytes, prefix, text: trimmed };
}

/** True if `ip` lies inside `subnet` (same family only). */
export function inSubnet(ip: ParsedIp, subnet: Subnet): boolean {
  if (ip.family !== subnet.family) return false;
  let bits = subnet.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((ip.bytes[i]! & mask) !== (subnet.bytes[i]! & mask)) return false;
  }
  return true;
}

/** Builds a subnet table from `[address, prefix]` pairs written in this source (so they are valid). */
export function subnets(entries: readonly (readonly [string, number])[]): Subnet[] {
  return entries.map(([address, prefix]) => {
    const subnet = parseSubnet(`${address}/${prefix}`);
    if (subnet === undefined) throw new Error(`bad subnet literal ${address}/${prefix}`);
    return subnet;
  });
}

/** The IPv4 address in bytes 12-15 of an IPv6 address (mapped, NAT64 /96) or bytes 2-5 (6to4). */
export function embeddedIpv4(ip: ParsedIp, offset: 2 | 12): ParsedIp {
  return { family: 4, bytes: ip.bytes.slice(offset, offset + 4) };
}
