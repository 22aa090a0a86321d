/**
 * The SSRF guard in the real webhook sender, with real sockets that never leave 127.0.0.1: a trap
 * server on loopback counts connections and requests; hostile URLs point at it (as literals in every
 * notation, or through a fake resolver answer that includes 127.0.0.1 first), so a guard that let
 * one through would be seen by the trap, not by some other host.
 */
import { createServer, type Server } from 'node:http';
import type { LookupAddress } from 'node:dns';
import type { AddressInfo, Socket } from 'node:net';
import { createWebhookSender, type ClosableWebhookSender, type ResolveAll } from '../../functions/adapters/http/webhook-sender.ts';
import { createAddressPolicy } from '../../functions/core/network/address-policy.ts';

let trap: Server;
let port: number;
let connections = 0;
let requests = 0;
const sockets = new Set<Socket>();

beforeAll(async () => {
  trap = createServer((req, res) => {
    requests++;
    req.resume();
    req.on('end', () => res.writeHead(200).end('reached'));
  });
  trap.on('connection', (s: Socket) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
  port = (trap.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => trap.close(resolve));
});

const strict = createAddressPolicy({ allowPrivateNetworks: false, allowedSubnets: [], requireHttps: false });
const headers = { 'content-type': 'application/json' };
const senders: ClosableWebhookSender[] = [];
// Each test counts only its own connections and requests, whatever ran before it.
beforeEach(() => {
  connections = 0;
  requests = 0;
});
afterEach(async () => {
  await Promise.all(senders.splice(0).map((s) => s.close()));
});

function guardedSender(resolveAll: ResolveAll, policy = strict, check = policy.checkAddress): ClosableWebhookSender {
  const sender = createWebhookSender({ timeoutMs: 2_000, checkAddress: check, checkUrl: policy.checkUrl, resolveAll });
  senders.push(sender);
  return sender;
}

const answering = (...answers: LookupAddress[]): ResolveAll => async () => answers;
const v4 = (address: string): LookupAddress => ({ address, family: 4 });

describe('refused before a byte reaches the trap', () => {
  const literals = (): string[] => [
    `http://127.0.0.1:${port}/`,
    `http://2130706433:${port}/`,
    `http://0x7f000001:${port}/`,
    `http://0177.0.0.1:${port}/`,
    `http://127.1:${port}/`,
    `http://[::ffff:127.0.0.1]:${port}/`,
  ];

  test('IP literals in every notation', async () => {
    const sender = guardedSender(answering(v4('93.184.216.34')));
    for (const url of literals()) {
      const outcome = await sender.send({ url, headers, body: '{}' });
      expect(outcome).toMatchObject({ kind: 'network-error' });
      if (outcome.kind === 'network-error') expect(outcome.message).toMatch(/^Destination address not allowed \(SLUICE_ADDRESS_REFUSED\): .*loopback/);
    }
    expect(connections).toBe(0);
  });

  test.each([
    ['a name resolving to loopback', [v4('127.0.0.1')]],
    ['a name resolving to loopback and a public address', [v4('127.0.0.1'), v4('93.184.216.34')]],
    ['a name resolving to IPv4-mapped loopback', [{ address: '::ffff:127.0.0.1', family: 6 }]],
  ])('%s', async (_label, answers) => {
    const sender = guardedSender(answering(...answers));
    const outcome = await sender.send({ url: `http://hooks.evil.example:${port}/x`, headers, body: '{}' });
    expect(outcome.kind).toBe('network-error');
    if (outcome.kind === 'network-error') expect(outcome.message).toMatch(/hooks\.evil\.example: Delivery to (::ffff:)?127\.0\.0\.1 is refused/);
    expect(connections).toBe(0);
  });

  test('localhost through the real resolver (/etc/hosts)', async () => {
    const sender = createWebhookSender({ timeoutMs: 2_000, checkAddress: strict.checkAddress });
    senders.push(sender);
    const outcome = await sender.send({ url: `http://localhost:${port}/`, headers, body: '{}' });
    expect(outcome.kind).toBe('network-error');
    expect(connections).toBe(0);
  });

  test('the socket check is a backstop: a peer refused after connecting gets no request', async () => {
    // Allows the address at lookup, refuses it on the connected socket (as if DNS had lied to the check).
    let calls = 0;
    const sender = guardedSender(answering(v4('127.0.0.1')), strict, () => (++calls === 1 ? undefined : 'refused at the socket'));
    const outcome = await sender.send({ url: `http://late.example:${port}/`, headers, body: '{"secret":1}' });
    expect(outcome.kind).toBe('network-error');
    if (outcome.kind === 'network-error') expect(outcome.message).toContain('refused at the socket');
    expect(calls).toBe(2);
    expect(connections).toBe(1);
    expect(requests).toBe(0);
  });

  test('https required: an http URL is refused', async () => {
    const https = createAddressPolicy({ allowPrivateNetworks: true, allowedSubnets: [], requireHttps: true });
    const sender = createWebhookSender({ timeoutMs: 2_000, checkUrl: https.checkUrl });
    senders.push(sender);
    const outcome = await sender.send({ url: `http://127.0.0.1:${port}/`, headers, body: '{}' });
    expect(outcome.kind).toBe('network-error');
    if (outcome.kind === 'network-error') expect(outcome.message).toMatch(/https/);
    expect(connections).toBe(0);
  });
});

describe('allowed through the allow-list, connecting only to the vetted address', () => {
  const listed = createAddressPolicy({ allowPrivateNetworks: false, allowedSubnets: ['127.0.0.1/32'], requireHttps: false });

  test('a name whose answer is allow-listed is delivered', async () => {
    const sender = guardedSender(answering(v4('127.0.0.1')), listed);
    const outcome = await sender.send({ url: `http://hooks.example.com:${port}/in`, headers, body: '{}' });
    expect(outcome).toMatchObject({ kind: 'success', statusCode: 200, body: 'reached' });
  });

  test('no second lookup: a rebinding name cannot switch the address under an open connection', async () => {
    const answers = [[v4('127.0.0.1')], [v4('10.0.0.5')]];
    let lookups = 0;
    const sender = guardedSender(async () => answers[Math.min(lookups++, 1)]!, listed);
    const url = `http://rebind.example:${port}/`;
    expect((await sender.send({ url, headers, body: '{}' })).kind).toBe('success');
    expect((await sender.send({ url, headers, body: '{}' })).kind).toBe('success');
    expect(lookups).toBe(1); // the keep-alive connection is reused; the name is not resolved again
    await sender.close();
    // A new connection resolves again, and the rebound answer is judged afresh.
    const rebound = guardedSender(async () => answers[Math.min(lookups++, 1)]!, listed);
    const outcome = await rebound.send({ url, headers, body: '{}' });
    expect(outcome.kind).toBe('network-error');
    if (outcome.kind === 'network-error') expect(outcome.message).toContain('10.0.0.5');
  });
});
