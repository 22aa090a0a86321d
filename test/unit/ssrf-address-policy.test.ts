/**
 * The SSRF policy, table-driven: hostile endpoint URLs, each with the DNS answer an attacker's name
 * server would give, judged by the same functions the API (checkUrl → 422) and the sender
 * (guardedLookup, per resolved address) use. Pure: no socket is opened (ssrf-sender.test.ts connects).
 */
import type { LookupAddress } from 'node:dns';
import { guardedLookup } from '../../functions/adapters/http/guarded-lookup.ts';
import { createAddressPolicy, nonPublicKind } from '../../functions/core/network/address-policy.ts';
import { parseIp, parseSubnet } from '../../functions/core/network/ip.ts';

const strict = createAddressPolicy({ allowPrivateNetworks: false, allowedSubnets: [], requireHttps: false });

const v4 = (address: string): LookupAddress => ({ address, family: 4 });
const v6 = (address: string): LookupAddress => ({ address, family: 6 });

/** Runs the sender's lookup step for `url` with a fake resolver answer; resolves the error code or the addresses. */
function lookupFor(url: string, answers: LookupAddress[], policy = strict): Promise<{ error?: string; message?: string; addresses?: LookupAddress[]; calls: number }> {
  let calls = 0;
  const lookup = guardedLookup(async () => {
    calls++;
    return answers;
  }, (address) => policy.checkAddress(address));
  return new Promise((resolve) => {
    lookup(new URL(url).hostname, { all: true }, (err, addresses) => {
      if (err !== null) resolve({ error: (err as { code?: string }).code ?? 'none', message: err.message, calls });
      else resolve({ addresses: addresses as LookupAddress[], calls });
    });
  });
}

/** Literal IPs in every notation: refused at the API (checkUrl) before DNS is involved. */
const HOSTILE_LITERALS: string[] = [
  'http://127.0.0.1/',
  'http://127.0.0.1:8787/api/v1/app',
  'http://2130706433/', // decimal
  'http://0x7f000001/', // hex
  'http://0x7f.0x0.0x0.0x1/',
  'http://0177.0.0.1/', // octal
  'http://017700000001/',
  'http://127.1/', // short form
  'http://127.0.1/',
  'http://0/', // 0.0.0.0
  'http://0.0.0.0:22/',
  'http://[::1]/',
  'http://[::]/',
  'http://[0:0:0:0:0:0:0:1]/',
  'http://[::ffff:127.0.0.1]/', // IPv4-mapped loopback
  'http://[::ffff:7f00:1]/',
  'http://[::ffff:169.254.169.254]/',
  'http://169.254.169.254/latest/meta-data/', // instance metadata
  'http://169.254.170.2/v2/credentials', // ECS task credentials
  'http://[fd00:ec2::254]/latest/meta-data/', // IMDS over IPv6 (ULA)
  'http://10.0.0.5/',
  'http://172.16.0.1/',
  'http://172.31.255.255/',
  'http://192.168.1.1/',
  'http://100.64.0.1/', // CGNAT
  'http://100.127.255.254/',
  'http://224.0.0.1/', // multicast
  'http://255.255.255.255/', // broadcast
  'http://4294967295/', // broadcast, decimal
  'http://240.0.0.1/', // reserved
  'http://198.18.0.1/', // benchmarking
  'http://192.0.2.10/', // documentation
  'http://198.51.100.7/',
  'http://203.0.113.9/',
  'http://192.0.0.8/',
  'http://[fe80::1]/', // link-local
  'http://[fc00::1]/', // ULA
  'http://[ff02::1]/', // multicast
  'http://[2001:db8::1]/', // documentation
  'http://[64:ff9b::a00:1]/', // NAT64 of 10.0.0.1
  'http://[64:ff9b::127.0.0.1]/',
  'http://[64:ff9b:1::1]/', // NAT64 local-use
  'http://[2002:7f00:1::]/', // 6to4 of 127.0.0.1
  'http://[2002:a9fe:a9fe::1]/', // 6to4 of 169.254.169.254
  'http://[2001::1]/', // Teredo
  'http://[100::1]/', // discard-only
  'http://[::127.0.0.1]/', // IPv4-compatible (deprecated)
  'http://[fec0::1]/', // site-local
  'http://localhost/',
  'http://LOCALHOST.:9000/',
  'http://api.localhost/',
  'http://%31%32%37.0.0.1/', // percent-encoded
  'http://①②⑦.0.0.1/', // full-width / circled digits (IDNA-mapped)
  'https://127.0.0.1./',
];

/** Host names with the answer a hostile name server gives: refused at delivery, on any bad address. */
const HOSTILE_ANSWERS: [string, LookupAddress[]][] = [
  ['http://evil.example/', [v4('127.0.0.1')]],
  ['http://evil.example/', [v4('10.0.0.5')]],
  ['http://metadata.evil.example/', [v4('169.254.169.254')]],
  ['http://mixed.evil.example/', [v4('93.184.216.34'), v4('10.0.0.5')]], // one public, one private
  ['http://mixed6.evil.example/', [v4('93.184.216.34'), v6('::1')]],
  ['http://mixed-order.evil.example/', [v6('fd12::1'), v4('1.1.1.1')]],
  ['http://cgnat.evil.example/', [v4('100.64.1.1')]],
  ['http://v6.evil.example/', [v6('fe80::abcd')]],
  ['http://mapped.evil.example/', [v6('::ffff:192.168.0.1')]],
  ['http://nat64.evil.example/', [v6('64:ff9b::c0a8:1')]],
  ['http://6to4.evil.example/', [v6('2002:0a00:0001::1')]],
  ['http://teredo.evil.example/', [v6('2001:0:4136:e378:8000:63bf:3fff:fdd2')]],
  ['http://zero.evil.example/', [v4('0.0.0.0')]],
  ['http://unassigned6.evil.example/', [v6('4000::1')]],
];

describe('hostile URLs are refused', () => {
  test('there are at least 40 hostile cases in all', () => {
    expect(HOSTILE_LITERALS.length + HOSTILE_ANSWERS.length).toBeGreaterThanOrEqual(40);
  });

  test.each(HOSTILE_LITERALS)('at the API: %s', (url) => {
    expect(strict.checkUrl(url)).toMatch(/refused/);
  });

  test.each(HOSTILE_LITERALS.filter((u) => !/localhost/i.test(u)))('at delivery, as the socket peer: %s', (url) => {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    expect(strict.checkAddress(host)).toMatch(/refused/);
  });

  test.each(HOSTILE_ANSWERS)('at delivery, by every resolved address: %s → %j', async (url, answers) => {
    const result = await lookupFor(url, answers);
    expect(result.error).toBe('SLUICE_ADDRESS_REFUSED');
    expect(result.message).toMatch(/is refused: not a public address \(/);
    expect(result.calls).toBe(1);
  });
});

describe('public destinations are allowed', () => {
  test.each(['https://example.com/hook', 'http://93.184.216.34/', 'https://[2606:4700:4700::1111]/', 'http://[::ffff:1.1.1.1]/', 'http://[64:ff9b::808:808]/', 'http://[2002:0808:0808::1]/'])(
    'at the API: %s',
    (url) => {
      expect(strict.checkUrl(url)).toBeUndefined();
    },
  );

  test('a name whose every address is public is handed to the socket as resolved', async () => {
    const answers = [v4('93.184.216.34'), v6('2606:2800:220:1:248:1893:25c8:1946')];
    const result = await lookupFor('https://example.com/', answers);
    expect(result.addresses).toEqual(answers);
  });

  test.each(['8.8.8.8', '172.32.0.1', '100.128.0.1', '198.20.0.1', '2606:4700::1111', '::ffff:1.1.1.1'])('%s is public', (address) => {
    expect(nonPublicKind(parseIp(address)!)).toBeUndefined();
  });
});

describe('the only ways around it', () => {
  test('allowPrivateNetworks lets everything through', async () => {
    const open = createAddressPolicy({ allowPrivateNetworks: true, allowedSubnets: [], requireHttps: false });
    expect(open.checkUrl('http://127.0.0.1/')).toBeUndefined();
    expect((await lookupFor('http://evil.example/', [v4('10.0.0.5')], open)).addresses).toHaveLength(1);
  });

  test('an allow-listed subnet (and its IPv4-mapped form) passes; its neighbours do not', async () => {
    const listed = createAddressPolicy({ allowPrivateNetworks: false, allowedSubnets: ['10.1.0.0/16', 'fd00:1::/32'], requireHttps: false });
    expect(listed.checkAddress('10.1.2.3')).toBeUndefined();
    expect(listed.checkAddress('::ffff:10.1.2.3')).toBeUndefined();
    expect(listed.checkAddress('fd00:1::5')).toBeUndefined();
    expect(listed.checkAddress('10.2.0.1')).toMatch(/refused/);
    expect(listed.checkAddress('169.254.169.254')).toMatch(/refused/);
    expect((await lookupFor('http://internal.example/', [v4('10.1.0.9'), v4('10.2.0.9')], listed)).error).toBe('SLUICE_ADDRESS_REFUSED');
  });

  test('requireHttps refuses http URLs even where private networks are allowed', () => {
    const https = createAddressPolicy({ allowPrivateNetworks: true, allowedSubnets: [], requireHttps: true });
    expect(https.checkUrl('http://example.com/')).toMatch(/https/);
    expect(https.checkUrl('https://example.com/')).toBeUndefined();
  });

  test('other schemes are never allowed', () => {
    for (const url of ['ftp://example.com/', 'file:///etc/passwd', 'gopher://127.0.0.1:6379/_INFO', 'javascript:alert(1)']) {
      expect(strict.checkUrl(url)).toMatch(/http/);
    }
  });
});

describe('notation: WHATWG URL normalises IPv4 forms, and the policy relies on it', () => {
  test.each([
    ['http://2130706433/', '127.0.0.1'],
    ['http://0x7f000001/', '127.0.0.1'],
    ['http://0177.0.0.1/', '127.0.0.1'],
    ['http://127.1/', '127.0.0.1'],
    ['http://0x7f.1/', '127.0.0.1'],
    ['http://[::ffff:127.0.0.1]/', '[::ffff:7f00:1]'],
  ])('%s → %s', (url, hostname) => {
    expect(new URL(url).hostname).toBe(hostname);
  });

  test('the IP parser reads canonical IPv4/IPv6 only, and CIDRs', () => {
    expect(parseIp('1.2.3.4')?.family).toBe(4);
    expect(parseIp('01.2.3.4')).toBeUndefined();
    expect(parseIp('::ffff:1.2.3.4')?.bytes[12]).toBe(1);
    expect(parseIp('fe80::1%eth0')?.family).toBe(6);
    expect(parseIp('1:2:3:4:5:6:7:8:9')).toBeUndefined();
    expect(parseSubnet('10.0.0.0/33')).toBeUndefined();
    expect(parseSubnet('fd00::/8')?.prefix).toBe(8);
  });
});
