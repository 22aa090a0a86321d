import { createHmac, randomBytes } from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { activeSecrets, signatureHeader, webhookHeaders } from '../../functions/core/signing/webhook-headers.ts';
import type { SigningSecret } from '../../functions/core/model.ts';

const newSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;
const msgId = 'msg_2mHqVvT0wPzH7sB4kq3NfLxYz9a';
const body = JSON.stringify({ invoice: 'in_1', amount: 4200, note: 'naïve — ✓' });

function freshHeaders(secrets: SigningSecret[], now = new Date()): Record<string, string> {
  return webhookHeaders({ msgId, timestampSeconds: Math.floor(now.getTime() / 1000), body, secrets, now });
}

describe('signatureHeader', () => {
  it('is v1,base64(HMAC-SHA256(key, "id.timestamp.body")) with the decoded key', () => {
    const raw = randomBytes(24);
    const expected = createHmac('sha256', raw).update(`${msgId}.1700000000.${body}`).digest('base64');
    const secrets = [{ key: `whsec_${raw.toString('base64')}`, expiresAt: null }];
    expect(signatureHeader(msgId, 1_700_000_000, body, secrets, new Date())).toBe(`v1,${expected}`);
  });

  it('accepts a secret without the whsec_ prefix and signs bytes like the same string', () => {
    const raw = randomBytes(24).toString('base64');
    const a = signatureHeader(msgId, 1, body, [{ key: raw, expiresAt: null }], new Date());
    const b = signatureHeader(msgId, 1, Buffer.from(body), [{ key: `whsec_${raw}`, expiresAt: null }], new Date());
    expect(a).toBe(b);
  });

  it('lists the current secret first, then unexpired rotated-out ones, and drops expired ones', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const current = { key: newSecret(), expiresAt: null };
    const rotated = { key: newSecret(), expiresAt: '2026-01-02T00:00:00.000Z' };
    const expired = { key: newSecret(), expiresAt: '2025-12-31T23:59:59.000Z' };
    expect(activeSecrets([rotated, expired, current], now)).toEqual([current, rotated]);
    const header = signatureHeader(msgId, 5, body, [current, rotated, expired], now);
    const parts = header.split(' ');
    expect(parts).toHaveLength(2);
    expect(parts[0]).toBe(signatureHeader(msgId, 5, body, [current], now));
    expect(parts[1]).toBe(signatureHeader(msgId, 5, body, [{ key: rotated.key, expiresAt: null }], now));
  });
});

describe('webhookHeaders', () => {
  it('verifies with standardwebhooks and with svix', () => {
    const secret = newSecret();
    const headers = freshHeaders([{ key: secret, expiresAt: null }]);
    expect(new StandardWebhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new SvixWebhook(secret).verify(body, headers)).not.toThrow();
  });

  it('sends both header families, JSON content type and our user agent', () => {
    const now = new Date();
    const headers = freshHeaders([{ key: newSecret(), expiresAt: null }], now);
    const ts = String(Math.floor(now.getTime() / 1000));
    expect(headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'Sluice/0.1',
      'webhook-id': msgId,
      'svix-id': msgId,
      'webhook-timestamp': ts,
      'svix-timestamp': ts,
    });
    expect(headers['svix-signature']).toBe(headers['webhook-signature']);
  });

  it('verifies with either secret during a rotation, with both libraries', () => {
    const now = new Date();
    const current = newSecret();
    const old = newSecret();
    const headers = freshHeaders(
      [
        { key: current, expiresAt: null },
        { key: old, expiresAt: new Date(now.getTime() + 3600_000).toISOString() },
      ],
      now,
    );
    expect(headers['webhook-signature']?.split(' ')).toHaveLength(2);
    for (const secret of [current, old]) {
      expect(() => new StandardWebhook(secret).verify(body, headers)).not.toThrow();
      expect(() => new SvixWebhook(secret).verify(body, headers)).not.toThrow();
    }
    expect(() => new StandardWebhook(newSecret()).verify(body, headers)).toThrow();
  });

  it('no longer verifies with a rotated-out secret once it has expired', () => {
    const now = new Date();
    const old = newSecret();
    const headers = freshHeaders(
      [
        { key: newSecret(), expiresAt: null },
        { key: old, expiresAt: new Date(now.getTime() - 1000).toISOString() },
      ],
      now,
    );
    expect(() => new StandardWebhook(old).verify(body, headers)).toThrow();
    expect(() => new SvixWebhook(old).verify(body, headers)).toThrow();
  });

  it('fails verification when the body is re-serialized', () => {
    const secret = newSecret();
    const headers = freshHeaders([{ key: secret, expiresAt: null }]);
    const reserialized = JSON.stringify(JSON.parse(body), null, 1);
    expect(() => new StandardWebhook(secret).verify(reserialized, headers)).toThrow();
  });

  it("adds the endpoint's headers but never lets them override ours", () => {
    const secret = newSecret();
    const now = new Date();
    const headers = webhookHeaders({
      msgId,
      timestampSeconds: Math.floor(now.getTime() / 1000),
      body,
      secrets: [{ key: secret, expiresAt: null }],
      now,
      endpointHeaders: {
        'X-Tenant': 'acme',
        'Webhook-Signature': 'v1,forged',
        'SVIX-ID': 'msg_forged',
        'Content-Type': 'text/plain',
        'User-Agent': 'evil',
        'Content-Length': '1',
        Host: 'elsewhere',
      },
    });
    // The endpoint's own headers keep the user's spelling (sent that way on the wire).
    expect(headers['X-Tenant']).toBe('acme');
    expect(headers['x-tenant']).toBeUndefined();
    expect(headers['svix-id']).toBe(msgId);
    expect(headers['content-type']).toBe('application/json');
    expect(headers['user-agent']).toBe('Sluice/0.1');
    expect(headers['content-length']).toBeUndefined();
    expect(headers['host']).toBeUndefined();
    expect(Object.keys(headers).filter((k) => k.toLowerCase() === 'webhook-signature')).toEqual(['webhook-signature']);
    expect(() => new StandardWebhook(secret).verify(body, headers)).not.toThrow();
  });
});
