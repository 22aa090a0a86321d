/**
 * Asymmetric signing, end to end: an endpoint with a `whsk_` (Ed25519) secret gets `v1a,` signatures
 * over `{id}.{timestamp}.{body}`, `GET …/secret` shows the public key `whpk_…`, and rotation between
 * symmetric and asymmetric keys keeps the old key signing through the grace period. Signatures are
 * checked with node:crypto's Ed25519 verify (the svix SDK's Webhook skips v1a entries) and svix's
 * Webhook for the v1 ones. The secret below is Svix's own test vector (its core/types tests).
 */
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { Webhook } from 'svix';
import { startReceiver, type Receiver, type ReceivedWebhook } from '../support/receiver.ts';
import { expectStatus, startConformance, unique, type Conformance } from './harness.ts';

const SVIX_TEST_SECRET = 'whsk_6Xb/dCcHpPea21PS1N9VY/NZW723CEc77N4rJCubMbfVKIDij2HKpMKkioLlX0dRqSKJp4AJ6p9lMicMFs6Kvg==';
const SVIX_TEST_PUBLIC = 'whpk_1SiA4o9hyqTCpIqC5V9HUakiiaeACeqfZTInDBbOir4=';

let c: Conformance;
let receiver: Receiver;

beforeAll(async () => {
  // No endpoint cache: each publish below must be signed with the keys of the rotation just made.
  [c, receiver] = await Promise.all([startConformance({ environment: { endpointCacheSeconds: 0 } }), startReceiver()]);
});

afterAll(async () => {
  await receiver?.close();
  await c?.stop();
});

/** A fresh `whsk_` key in Svix's layout: the 32-byte seed, then the 32-byte public key. */
function newAsymmetricKey(): string {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  return `whsk_${Buffer.concat([seed, pub]).toString('base64')}`;
}

/** True if `signature` (base64) is `whpk`'s Ed25519 signature of the webhook's signed content. */
function ed25519Valid(hit: ReceivedWebhook, whpk: string, signature: string): boolean {
  const x = Buffer.from(whpk.slice('whpk_'.length), 'base64').toString('base64url');
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
  const content = `${String(hit.headers['webhook-id'])}.${String(hit.headers['webhook-timestamp'])}.${hit.body}`;
  return verify(null, Buffer.from(content), key, Buffer.from(signature, 'base64'));
}

const signatures = (hit: ReceivedWebhook): string[][] => String(hit.headers['webhook-signature']).split(' ').map((s) => s.split(','));
const headersOf = (hit: ReceivedWebhook): Record<string, string> => Object.fromEntries(Object.entries(hit.headers).map(([k, v]) => [k, String(v)]));

test('whsk_ secrets sign v1a; rotation to and from symmetric keeps the old key through the grace period', async () => {
  const app = await c.svix.application.create({ name: 'asym', uid: `asym-${unique()}` });
  const path = `/asym-${unique()}`;
  const endpoint = await c.svix.endpoint.create(app.id, { url: `${receiver.url}${path}`, secret: SVIX_TEST_SECRET });
  expect((await c.svix.endpoint.getSecret(app.id, endpoint.id)).key).toBe(SVIX_TEST_PUBLIC);

  // 1. Asymmetric only.
  await c.svix.message.create(app.id, { eventType: 'sig.test', payload: { n: 1 } });
  let hit = (await receiver.waitFor(path, 1))[0]!;
  let parts = signatures(hit);
  expect(parts.map((p) => p[0])).toEqual(['v1a']);
  expect(ed25519Valid(hit, SVIX_TEST_PUBLIC, parts[0]![1]!)).toBe(true);
  expect(ed25519Valid({ ...hit, body: `${hit.body} ` }, SVIX_TEST_PUBLIC, parts[0]![1]!)).toBe(false);
  expect(hit.headers['svix-signature']).toBe(hit.headers['webhook-signature']);

  // 2. Rotated to a generated (symmetric) key: v1 with the new one first, then v1a with the old.
  await c.svix.endpoint.rotateSecret(app.id, endpoint.id, { gracePeriodSeconds: 3600 });
  const symmetric = (await c.svix.endpoint.getSecret(app.id, endpoint.id)).key;
  expect(symmetric).toMatch(/^whsec_/);
  await c.svix.message.create(app.id, { eventType: 'sig.test', payload: { n: 2 } });
  hit = (await receiver.waitFor(path, 2))[1]!;
  parts = signatures(hit);
  expect(parts.map((p) => p[0])).toEqual(['v1', 'v1a']);
  expect(() => new Webhook(symmetric).verify(hit.body, headersOf(hit))).not.toThrow();
  expect(ed25519Valid(hit, SVIX_TEST_PUBLIC, parts[1]![1]!)).toBe(true);

  // 3. Rotated to a given asymmetric key: v1a with it, then the two older keys.
  const next = newAsymmetricKey();
  await c.svix.endpoint.rotateSecret(app.id, endpoint.id, { key: next, gracePeriodSeconds: 3600 });
  const nextPublic = (await c.svix.endpoint.getSecret(app.id, endpoint.id)).key;
  expect(nextPublic).toMatch(/^whpk_[A-Za-z0-9+/]{43}=$/);
  await c.svix.message.create(app.id, { eventType: 'sig.test', payload: { n: 3 } });
  hit = (await receiver.waitFor(path, 3))[2]!;
  parts = signatures(hit);
  expect(parts.map((p) => p[0])).toEqual(['v1a', 'v1', 'v1a']);
  expect(ed25519Valid(hit, nextPublic, parts[0]![1]!)).toBe(true);
  expect(ed25519Valid(hit, SVIX_TEST_PUBLIC, parts[0]![1]!)).toBe(false);
  expect(() => new Webhook(symmetric).verify(hit.body, headersOf(hit))).not.toThrow();
  expect(ed25519Valid(hit, SVIX_TEST_PUBLIC, parts[2]![1]!)).toBe(true);

  // 4. Without a grace period the key rotated out stops at once; older ones keep their own expiry.
  await c.svix.endpoint.rotateSecret(app.id, endpoint.id, { key: SVIX_TEST_SECRET, gracePeriodSeconds: 0 });
  await c.svix.message.create(app.id, { eventType: 'sig.test', payload: { n: 4 } });
  hit = (await receiver.waitFor(path, 4))[3]!;
  parts = signatures(hit);
  expect(parts.map((p) => p[0])).toEqual(['v1a', 'v1', 'v1a']);
  expect(ed25519Valid(hit, SVIX_TEST_PUBLIC, parts[0]![1]!)).toBe(true);
  expect(parts.some(([version, sig]) => version === 'v1a' && ed25519Valid(hit, nextPublic, sig!))).toBe(false);
});

test('a whsk_ key whose halves do not match, or of the wrong size, is a 422 at the field', async () => {
  const app = await c.svix.application.create({ name: 'asym-bad' });
  const mismatched = 'whsk_6Xb/dCcHpPea21PS1N9VY/NZW723CEc77N4rJCubMbfVKIDij2HKpMKkioLlaaaaaaaaaaAJ6p9lMicMFs6Kvg==';
  for (const secret of [mismatched, 'whsk_6Xb/dCcHpPea21PS1N9VY/NZW723CEc77N4rJCubMbfVKIDij2HKpMKkioLlX0dRqSKJp4AJ6p9lMicMFs6Kv', 'whsk_%%%']) {
    const answer = expectStatus(await c.http('POST', `/api/v1/app/${app.id}/endpoint`, { body: { url: `${receiver.url}/x`, secret } }), 422);
    expect(answer.body).toMatchObject({ detail: [{ loc: ['body', 'secret'] }] });
  }
  const endpoint = await c.svix.endpoint.create(app.id, { url: `${receiver.url}/x` });
  const rotate = expectStatus(await c.http('POST', `/api/v1/app/${app.id}/endpoint/${endpoint.id}/secret/rotate`, { body: { key: mismatched } }), 422);
  expect(rotate.body).toMatchObject({ detail: [{ loc: ['body', 'key'] }] });
  // A public key is not a secret.
  expectStatus(await c.http('POST', `/api/v1/app/${app.id}/endpoint`, { body: { url: `${receiver.url}/x`, secret: SVIX_TEST_PUBLIC } }), 422);
});
