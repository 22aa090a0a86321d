/** Asymmetric (`whsk_`, Ed25519) secrets and `v1a` signatures, checked with node:crypto's own verify. */
import { createPublicKey, verify } from 'node:crypto';
import { asymmetricSecretProblem, generateAsymmetricSecret, publicKeyOf } from '../../functions/core/signing/ed25519.ts';
import { signatureHeader } from '../../functions/core/signing/webhook-headers.ts';
import { generateSecret, normaliseSecret, verificationKey } from '../../functions/core/endpoints/secrets.ts';
import { ValidationError } from '../../functions/core/errors.ts';
import type { Endpoint } from '../../functions/core/model.ts';

// Svix's test vector (server core/types tests): the secret and the public key it derives.
const SECRET = 'whsk_6Xb/dCcHpPea21PS1N9VY/NZW723CEc77N4rJCubMbfVKIDij2HKpMKkioLlX0dRqSKJp4AJ6p9lMicMFs6Kvg==';
const PUBLIC = 'whpk_1SiA4o9hyqTCpIqC5V9HUakiiaeACeqfZTInDBbOir4=';

const publicKeyObject = (whpk: string) =>
  createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(whpk.slice(5), 'base64').toString('base64url') }, format: 'jwk' });

test('the public key of Svix\'s test secret is Svix\'s', () => {
  expect(asymmetricSecretProblem(SECRET)).toBeUndefined();
  expect(publicKeyOf(SECRET)).toBe(PUBLIC);
});

test('keys whose halves disagree, of the wrong size or not base64 are refused', () => {
  expect(asymmetricSecretProblem('whsk_6Xb/dCcHpPea21PS1N9VY/NZW723CEc77N4rJCubMbfVKIDij2HKpMKkioLlaaaaaaaaaaAJ6p9lMicMFs6Kvg==')).toMatch(/does not belong/);
  expect(asymmetricSecretProblem(`whsk_${Buffer.alloc(32).toString('base64')}`)).toMatch(/64 bytes/);
  expect(asymmetricSecretProblem('whsk_%%%')).toMatch(/base64/);
  expect(() => normaliseSecret('whsk_%%%', ['body', 'secret'])).toThrow(ValidationError);
  expect(normaliseSecret(SECRET, ['body', 'secret'])).toBe(SECRET);
});

test('v1a signatures verify with the public key, over {id}.{timestamp}.{body} exactly', () => {
  const body = '{"a":1}';
  const header = signatureHeader('msg_1', 1_700_000_000, body, [{ key: SECRET, expiresAt: null }], new Date());
  const [version, signature] = header.split(',');
  expect(version).toBe('v1a');
  const key = publicKeyObject(PUBLIC);
  expect(verify(null, Buffer.from(`msg_1.1700000000.${body}`), key, Buffer.from(signature!, 'base64'))).toBe(true);
  expect(verify(null, Buffer.from(`msg_1.1700000001.${body}`), key, Buffer.from(signature!, 'base64'))).toBe(false);
  // A Uint8Array body signs the same bytes.
  expect(signatureHeader('msg_1', 1_700_000_000, Buffer.from(body), [{ key: SECRET, expiresAt: null }], new Date())).toBe(header);
});

test('mixed secrets: each signs with its own scheme, current first', () => {
  const now = new Date();
  const later = new Date(now.getTime() + 60_000).toISOString();
  const hmac = generateSecret();
  const header = signatureHeader('msg_2', 5, 'x', [{ key: hmac, expiresAt: null }, { key: SECRET, expiresAt: later }], now);
  expect(header.split(' ').map((p) => p.split(',')[0])).toEqual(['v1', 'v1a']);
});

test('generated asymmetric secrets are valid; GET …/secret shows the public half only', () => {
  const secret = generateSecret('ed25519');
  expect(secret).toMatch(/^whsk_[A-Za-z0-9+/]{86}==$/);
  expect(asymmetricSecretProblem(secret)).toBeUndefined();
  expect(generateAsymmetricSecret()).not.toBe(secret);
  const endpoint = { id: 'ep_1', secrets: [{ key: secret, expiresAt: null }] } as unknown as Endpoint;
  expect(verificationKey(endpoint)).toBe(publicKeyOf(secret));
  const symmetric = { id: 'ep_2', secrets: [{ key: 'whsec_abc', expiresAt: null }] } as unknown as Endpoint;
  expect(verificationKey(symmetric)).toBe('whsec_abc');
});
