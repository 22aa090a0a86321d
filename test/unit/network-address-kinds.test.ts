/**
 * The address policy's verdicts word for word (a refused delivery is a failed attempt that says why,
 * so the reason is part of the contract), and the IP/CIDR parser under it at its edges: what is and
 * is not an IP literal, prefixes that are not byte-aligned, zones, brackets and embedded IPv4.
 */
import {
  OPEN_ADDRESS_POLICY_OPTIONS,
  createAddressPolicy,
  nonPublicKind,
  parseAllowedSubnets,
} from '../../functions/core/network/address-policy.ts';
import { embeddedIpv4, inSubnet, parseIp, parseSubnet, subnets } from '../../functions/core/network/ip.ts';

const kindOf = (address: string): string | undefined => nonPublicKind(parseIp(address)!);
const strict = createAddressPolicy({ allowPrivateNetworks: false, allowedSubnets: [], requireHttps: false });
const TAIL = 'allowed only with SLUICE_ALLOW_PRIVATE_NETWORKS=true or a matching SLUICE_ALLOWED_SUBNETS entry';

describe('what kind of non-public address it is', () => {
  test.each([
    ['255.255.255.255', 'broadcast'],
    ['0.1.2.3', '"this network" (0.0.0.0/8)'],
    ['10.20.30.40', 'private (10.0.0.0/8)'],
    ['100.64.0.1', 'carrier-grade NAT (100.64.0.0/10)'],
    ['127.0.0.1', 'loopback'],
    ['169.254.169.254', 'link-local (169.254.0.0/16, incl. the cloud metadata service)'],
    ['172.31.255.255', 'private (172.16.0.0/12)'],
    ['192.0.0.8', 'IETF protocol assignment (192.0.0.0/24)'],
    ['192.0.2.1', 'documentation (192.0.2.0/24)'],
    ['192.31.196.1', 'AS112 (192.31.196.0/24)'],
    ['192.52.193.1', 'AMT (192.52.193.0/24)'],
    ['192.88.99.1', '6to4 relay anycast (192.88.99.0/24)'],
    ['192.168.1.1', 'private (192.168.0.0/16)'],
    ['192.175.48.1', 'AS112 (192.175.48.0/24)'],
    ['198.19.255.255', 'benchmarking (198.18.0.0/15)'],
    ['198.51.100.7', 'documentation (198.51.100.0/24)'],
    ['203.0.113.9', 'documentation (203.0.113.0/24)'],
    ['239.1.1.1', 'multicast'],
    ['250.0.0.1', 'reserved (240.0.0.0/4)'],
    ['::', 'unspecified (::)'],
    ['::1', 'loopback (::1)'],
    ['::5', 'IPv4-compatible (deprecated, ::/96)'],
    ['::ffff:0:1.2.3.4', 'IPv4-translated (::ffff:0:0:0/96)'],
    ['64:ff9b:1::1', 'NAT64 local-use (64:ff9b:1::/48)'],
    ['100::1', 'discard-only (100::/64)'],
    ['2001:0:1::1', 'Teredo (2001::/32)'],
    ['2001:2::1', 'IETF protocol assignment (2001::/23)'],
    ['2001:db8::1', 'documentation (2001:db8::/32)'],
    ['3fff::1', 'documentation (3fff::/20)'],
    ['5f00::1', 'SRv6 (5f00::/16)'],
    ['fd12::1', 'unique local (fc00::/7)'],
    ['fe80::1', 'link-local (fe80::/10)'],
    ['fec0::1', 'site-local (fec0::/10)'],
    ['ff02::1', 'multicast (ff00::/8)'],
    ['4000::1', 'unassigned (outside 2000::/3)'],
    ['::ffff:10.0.0.1', 'IPv4-mapped form of private (10.0.0.0/8)'],
    ['64:ff9b::a9fe:a9fe', 'NAT64 form of link-local (169.254.0.0/16, incl. the cloud metadata service)'],
    ['2002:7f00:1::', '6to4 form of loopback'],
  ])('%s: %s', (address, kind) => {
    expect(kindOf(address)).toBe(kind);
  });

  test.each(['8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'])('%s is public', (address) => {
    expect(kindOf(address)).toBeUndefined();
  });
});

describe('the verdicts, word for word', () => {
  test('a non-public address', () => {
    expect(strict.checkAddress('10.0.0.1')).toBe(`Delivery to 10.0.0.1 is refused: not a public address (private (10.0.0.0/8)); ${TAIL}`);
  });

  test('something that is not an IP address', () => {
    expect(strict.checkAddress('example.com')).toBe('Delivery to "example.com" is refused: not an IP address');
  });

  test('URLs: unparsable, other schemes, https required', () => {
    expect(strict.checkUrl('not a url')).toBe('must be a valid URL');
    expect(strict.checkUrl('ftp://example.com/')).toBe('must be an http or https URL');
    const https = createAddressPolicy({ allowPrivateNetworks: true, allowedSubnets: [], requireHttps: true });
    expect(https.checkUrl('http://example.com/')).toBe('must be an https URL (SLUICE_REQUIRE_HTTPS is on)');
    expect(https.checkUrl('https://10.0.0.1/')).toBeUndefined();
  });

  test('an IPv6 literal is judged without its brackets', () => {
    expect(strict.checkUrl('http://[::1]:8080/x')).toBe(`Delivery to ::1 is refused: not a public address (loopback (::1)); ${TAIL}`);
    expect(strict.checkUrl('http://[2606:4700::1111]/')).toBeUndefined();
  });

  test('localhost and *.localhost are loopback without a lookup; look-alikes are names like any other', () => {
    const loopback = (host: string): string => `Delivery to ${host} is refused: not a public address (loopback); ${TAIL}`;
    expect(strict.checkUrl('http://localhost/')).toBe(loopback('localhost'));
    expect(strict.checkUrl('http://api.LOCALHOST./')).toBe(loopback('api.localhost.'));
    expect(strict.checkUrl('http://localhost.example.com/')).toBeUndefined();
    expect(strict.checkUrl('http://mylocalhost/')).toBeUndefined();
    // Allow-listing 127.0.0.1 allows localhost too.
    const listed = createAddressPolicy({ allowPrivateNetworks: false, allowedSubnets: ['127.0.0.1/32'], requireHttps: false });
    expect(listed.checkUrl('http://localhost/')).toBeUndefined();
  });

  test('an allow-listed IPv4 subnet covers its IPv4-mapped form, not other IPv6 addresses', () => {
    const listed = createAddressPolicy({ allowPrivateNetworks: false, allowedSubnets: ['10.0.0.0/8'], requireHttps: false });
    expect(listed.checkAddress('::ffff:10.1.2.3')).toBeUndefined();
    expect(listed.checkAddress('fd00::a01:203')).toMatch(/unique local/);
  });

  test('the open policy (local mode) allows everything, and says so in its options', () => {
    expect(OPEN_ADDRESS_POLICY_OPTIONS).toEqual({ allowPrivateNetworks: true, allowedSubnets: [], requireHttps: false });
    const open = createAddressPolicy(OPEN_ADDRESS_POLICY_OPTIONS);
    expect(open.checkAddress('127.0.0.1')).toBeUndefined();
    expect(open.checkUrl('http://localhost/')).toBeUndefined();
  });

  test('the policy keeps a copy of its allow-list', () => {
    const allowedSubnets = ['10.0.0.0/8'];
    const policy = createAddressPolicy({ allowPrivateNetworks: false, allowedSubnets, requireHttps: false });
    allowedSubnets.push('0.0.0.0/0');
    expect(policy.allowedSubnets).toEqual(['10.0.0.0/8']);
  });

  test('a malformed allow-list entry is refused, naming it', () => {
    expect(() => parseAllowedSubnets(['10.0.0.0/8', '10.0.0.0/33'])).toThrow('not a CIDR subnet: "10.0.0.0/33"');
    expect(() => createAddressPolicy({ allowPrivateNetworks: false, allowedSubnets: ['nope'], requireHttps: false })).toThrow('not a CIDR subnet: "nope"');
  });
});

describe('IP literals', () => {
  const bytes = (text: string): number[] | undefined => {
    const ip = parseIp(text);
    return ip === undefined ? undefined : [ip.family, ...ip.bytes];
  };

  test('IPv4: four decimal parts, 0-255, no leading zeros', () => {
    expect(bytes('1.2.3.4')).toEqual([4, 1, 2, 3, 4]);
    expect(bytes('255.0.10.199')).toEqual([4, 255, 0, 10, 199]);
    for (const text of ['01.2.3.4', '1.2.3', '1.2.3.4.5', '256.1.1.1', ' 1.2.3.4', '1.2.3.4 ', 'x1.2.3.4', '1.2.3.4x']) expect([text, bytes(text)]).toEqual([text, undefined]);
  });

  test('IPv6: eight groups, or fewer around one "::"; a dotted quad only at the end', () => {
    expect(bytes('1:2:3:4:5:6:7:8')).toEqual([6, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]);
    expect(bytes('::')).toEqual([6, ...Array<number>(16).fill(0)]);
    expect(bytes('1:2:3:4:5:6:7::')).toEqual([6, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0]);
    expect(bytes('::ffff:1.2.3.4')).toEqual([6, ...Array<number>(10).fill(0), 255, 255, 1, 2, 3, 4]);
    expect(bytes('1:2:3:4:5:6:1.2.3.4')).toEqual([6, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 1, 2, 3, 4]);
    expect(bytes('ABCD::ef')).toEqual([6, 0xab, 0xcd, ...Array<number>(12).fill(0), 0, 0xef]);
    for (const text of [
      '1:2:3:4:5:6:7',
      '1:2:3:4:5:6:7:8:9',
      '1::2::3',
      '1:2:3:4:5:6:7:8::',
      '1:2:3:4::5:6:7:8',
      '1.2.3.4::',
      '::1.2.3',
      '::1.2.3.4:5',
      '12345::',
      'g::1',
      ':1::',
      '1:2:3:4:5:6:7:',
    ]) {
      expect([text, bytes(text)]).toEqual([text, undefined]);
    }
  });

  test('a zone is dropped; brackets are accepted only as a pair', () => {
    expect(bytes('fe80::1%eth0')).toEqual(bytes('fe80::1'));
    expect(bytes('[::1]')).toEqual(bytes('::1'));
    expect(bytes('[1.2.3.4]')).toEqual([4, 1, 2, 3, 4]);
    expect(bytes('[::1')).toBeUndefined();
    expect(bytes('::1]')).toBeUndefined();
    expect(bytes('11.2.3.4]')).toBeUndefined();
    expect(bytes('example.com')).toBeUndefined();
    expect(bytes('')).toBeUndefined();
  });
});

describe('subnets', () => {
  test('parses CIDRs (trimmed), a bare address as a host route, and nothing else', () => {
    expect(parseSubnet(' 10.0.0.0/8 ')).toEqual({ family: 4, bytes: Uint8Array.from([10, 0, 0, 0]), prefix: 8, text: '10.0.0.0/8' });
    expect(parseSubnet('10.1.2.3')).toMatchObject({ family: 4, prefix: 32, text: '10.1.2.3' });
    expect(parseSubnet('fd00::')).toMatchObject({ family: 6, prefix: 128 });
    expect(parseSubnet('::/0')).toMatchObject({ family: 6, prefix: 0 });
    expect(parseSubnet('::/128')).toMatchObject({ prefix: 128 });
    for (const text of ['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/x8', '10.0.0.0/8x', '10.0.0.0/1000', 'nope/8', '/8']) {
      expect([text, parseSubnet(text)]).toEqual([text, undefined]);
    }
  });

  test('prefixes that are not byte-aligned; /0 holds everything of its family and nothing of the other', () => {
    const s = (text: string) => parseSubnet(text)!;
    const ip = (text: string) => parseIp(text)!;
    expect(inSubnet(ip('10.127.255.255'), s('10.0.0.0/9'))).toBe(true);
    expect(inSubnet(ip('10.128.0.0'), s('10.0.0.0/9'))).toBe(false);
    expect(inSubnet(ip('172.31.0.1'), s('172.16.0.0/12'))).toBe(true);
    expect(inSubnet(ip('172.32.0.1'), s('172.16.0.0/12'))).toBe(false);
    expect(inSubnet(ip('10.0.0.1'), s('10.0.0.0/31'))).toBe(true);
    expect(inSubnet(ip('10.0.0.2'), s('10.0.0.0/31'))).toBe(false);
    expect(inSubnet(ip('fdff::1'), s('fc00::/7'))).toBe(true);
    expect(inSubnet(ip('fe00::1'), s('fc00::/7'))).toBe(false);
    expect(inSubnet(ip('200.1.2.3'), s('0.0.0.0/0'))).toBe(true);
    expect(inSubnet(ip('::ffff:10.0.0.1'), s('10.0.0.0/8'))).toBe(false);
    expect(inSubnet(ip('10.0.0.1'), s('::/0'))).toBe(false);
  });

  test('a table entry that is not a subnet is a programming error, named', () => {
    expect(() => subnets([['10.0.0.0', 8], ['10.0.0', 8]])).toThrow('bad subnet literal 10.0.0/8');
  });

  test('the IPv4 inside an IPv6 address, at either offset', () => {
    expect([...embeddedIpv4(parseIp('::ffff:1.2.3.4')!, 12).bytes]).toEqual([1, 2, 3, 4]);
    expect(embeddedIpv4(parseIp('2002:102:304::')!, 2)).toEqual({ family: 4, bytes: Uint8Array.from([1, 2, 3, 4]) });
  });
});
