import { ValidationError } from '../../functions/core/errors.ts';
import { parseDateTime } from '../../functions/core/validation/dates.ts';
import { normaliseSecret, rotatedSecrets, generateSecret } from '../../functions/core/endpoints/secrets.ts';
import { parseApplicationIn, parseApplicationPatch } from '../../functions/api/schemas/application.ts';
import { parseEndpointIn, parseEndpointPatch } from '../../functions/api/schemas/endpoint.ts';
import { parseEventTypeIn, parseEventTypePatch } from '../../functions/api/schemas/event-type.ts';
import { parseMessageIn } from '../../functions/api/schemas/message.ts';
import { parseRecoverIn, parseRotateIn } from '../../functions/api/schemas/operations.ts';

/** The 422 issues a parse throws. */
function issues(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('ApplicationIn', () => {
  it('fills defaults and maps the v1 rateLimit', () => {
    expect(parseApplicationIn({ name: 'Acme', rateLimit: 5, extra: true })).toEqual({
      name: 'Acme',
      uid: null,
      throttleRate: 5,
      metadata: {},
    });
  });

  it('reports a missing name at ["body","name"]', () => {
    expect(issues(() => parseApplicationIn({}))).toEqual([
      { loc: ['body', 'name'], msg: 'field required', type: 'value_error.missing' },
    ]);
  });

  it('refuses a uid with the app_ prefix as invalid_uid_prefix', () => {
    const [issue] = issues(() => parseApplicationIn({ name: 'a', uid: 'app_123' }));
    expect(issue).toMatchObject({ loc: ['body', 'uid'], type: 'invalid_uid_prefix' });
  });

  it('refuses a uid outside [A-Za-z0-9-_.]', () => {
    expect(issues(() => parseApplicationIn({ name: 'a', uid: 'a b' }))[0]!.loc).toEqual(['body', 'uid']);
  });

  it('refuses a body that is not an object', () => {
    expect(issues(() => parseApplicationIn(undefined))[0]!.loc).toEqual(['body']);
  });

  it('keeps absent patch fields absent and null as null', () => {
    expect(parseApplicationPatch({ uid: null })).toEqual({ uid: null });
    expect(parseApplicationPatch({})).toEqual({});
  });
});

describe('EndpointIn', () => {
  it('accepts the v1 filterTypes and version', () => {
    const input = parseEndpointIn({ url: 'https://example.com/h', filterTypes: ['a.b'], version: 1 });
    expect(input).toMatchObject({ url: 'https://example.com/h', eventTypes: ['a.b'], description: '', disabled: false });
  });

  it.each([
    ['ftp://example.com', 'url'],
    ['not a url', 'url'],
  ])('refuses url %s', (url, field) => {
    expect(issues(() => parseEndpointIn({ url }))[0]!.loc).toEqual(['body', field]);
  });

  it('refuses a url over 65536 characters', () => {
    expect(issues(() => parseEndpointIn({ url: `https://e.com/${'a'.repeat(65_536)}` }))[0]!.loc).toEqual(['body', 'url']);
  });

  it('checks channels: 1–10, pattern', () => {
    expect(issues(() => parseEndpointIn({ url: 'http://e.com', channels: [] }))[0]!.loc).toEqual(['body', 'channels']);
    const eleven = Array.from({ length: 11 }, (_, i) => `c${i}`);
    expect(issues(() => parseEndpointIn({ url: 'http://e.com', channels: eleven }))[0]!.loc).toEqual(['body', 'channels']);
    expect(issues(() => parseEndpointIn({ url: 'http://e.com', channels: ['a b'] }))[0]!.loc).toEqual(['body', 'channels', 0]);
    expect(parseEndpointIn({ url: 'http://e.com', channels: ['p:1+x'] }).channels).toEqual(['p:1+x']);
  });

  it('refuses duplicate event types', () => {
    expect(issues(() => parseEndpointIn({ url: 'http://e.com', eventTypes: ['a', 'a'] }))[0]!.loc).toEqual([
      'body',
      'eventTypes',
    ]);
  });

  it('patch: null clears, absent keeps', () => {
    expect(parseEndpointPatch({ filterTypes: null, rateLimit: 3 })).toEqual({ eventTypes: null, throttleRate: 3 });
  });
});

describe('secrets', () => {
  it('generates whsec_ + base64 of 24 bytes', () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(24);
  });

  it('accepts 24–75 decoded bytes, with or without the prefix', () => {
    const raw = Buffer.alloc(24, 7).toString('base64');
    expect(normaliseSecret(raw, ['body', 'secret'])).toBe(`whsec_${raw}`);
    expect(() => normaliseSecret(Buffer.alloc(76, 1).toString('base64'), ['body', 'secret'])).toThrow(ValidationError);
    expect(() => normaliseSecret('whsec_short', ['body', 'secret'])).toThrow(ValidationError);
  });

  it('rotates: new key first, old one expiring after the grace period, expired ones dropped', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const secrets = rotatedSecrets(
      [
        { key: 'whsec_current', expiresAt: null },
        { key: 'whsec_gone', expiresAt: '2025-12-31T00:00:00.000Z' },
      ],
      { gracePeriodSeconds: 60 },
      now,
    );
    expect(secrets).toHaveLength(2);
    expect(secrets[0]!.expiresAt).toBeNull();
    expect(secrets[1]).toEqual({ key: 'whsec_current', expiresAt: '2026-01-01T00:01:00.000Z' });
  });

  it('refuses more than 10 unexpired old keys with limit_reached', () => {
    const old = Array.from({ length: 10 }, (_, i) => ({ key: `whsec_${i}`, expiresAt: '2099-01-01T00:00:00.000Z' }));
    expect(() => rotatedSecrets([{ key: 'whsec_c', expiresAt: null }, ...old], { gracePeriodSeconds: 60 }, new Date())).toThrow(
      expect.objectContaining({ status: 400, code: 'limit_reached' }),
    );
  });

  it('parses the rotate body, empty included', () => {
    expect(parseRotateIn(undefined)).toEqual({ key: null, gracePeriodSeconds: 86_400 });
    expect(issues(() => parseRotateIn({ gracePeriodSeconds: 604_801 }))[0]!.loc).toEqual(['body', 'gracePeriodSeconds']);
  });
});

describe('EventTypeIn', () => {
  it('requires a valid name and a description', () => {
    expect(parseEventTypeIn({ name: 'user.signup', description: 'x' }).input).toMatchObject({ archived: false, schemas: null });
    const locs = issues(() => parseEventTypeIn({ name: 'bad name' })).map((i) => i.loc);
    expect(locs).toEqual(expect.arrayContaining([['body', 'name'], ['body', 'description']]));
  });

  it('patch keeps only the keys sent', () => {
    expect(parseEventTypePatch({ archived: true })).toEqual({ archived: true });
  });
});

describe('MessageIn', () => {
  const base = { eventType: 'user.signup', payload: { a: 1 } };

  it('defaults retention to 90 days', () => {
    expect(parseMessageIn(base)).toMatchObject({ retentionHours: 2160, eventId: null, channels: null, tags: null });
  });

  it('takes retention in days or hours', () => {
    expect(parseMessageIn({ ...base, payloadRetentionPeriod: 5 }).retentionHours).toBe(120);
    expect(parseMessageIn({ ...base, payloadRetentionHours: 3 }).retentionHours).toBe(3);
    expect(issues(() => parseMessageIn({ ...base, payloadRetentionPeriod: 91 }))[0]!.loc).toEqual([
      'body',
      'payloadRetentionPeriod',
    ]);
  });

  it.each([[[1, 2]], ['text'], [null], [3]])('refuses a payload that is not an object: %p', (payload) => {
    expect(issues(() => parseMessageIn({ ...base, payload }))[0]!.loc).toEqual(['body', 'payload']);
  });

  it('limits tags to 5 and checks the eventType pattern', () => {
    expect(issues(() => parseMessageIn({ ...base, tags: ['a', 'b', 'c', 'd', 'e', 'f'] }))[0]!.loc).toEqual(['body', 'tags']);
    expect(issues(() => parseMessageIn({ ...base, eventType: 'a/b' }))[0]!.loc).toEqual(['body', 'eventType']);
  });

  it('normalises deliverAt and refuses a bad one', () => {
    expect(parseMessageIn({ ...base, deliverAt: '2026-01-01T00:00:00+00:00' }).deliverAt).toBe('2026-01-01T00:00:00.000Z');
    expect(issues(() => parseMessageIn({ ...base, deliverAt: 'tomorrow' }))[0]!.loc).toEqual(['body', 'deliverAt']);
  });

  it('maps the application field', () => {
    expect(parseMessageIn({ ...base, application: { name: 'A', uid: 'a' } }).application).toEqual({
      name: 'A',
      uid: 'a',
      throttleRate: null,
      metadata: {},
    });
  });
});

describe('dates', () => {
  it.each([
    ['2026-09-01T00:00:00.000Z', '2026-09-01T00:00:00.000Z'],
    ['2026-09-01T00:00:00Z', '2026-09-01T00:00:00.000Z'],
    ['2026-09-01T02:00:00+02:00', '2026-09-01T00:00:00.000Z'],
    ['2026-09-01T00:00:00.123456+00:00', '2026-09-01T00:00:00.123Z'],
    ['2026-09-01T00:00:00.5', '2026-09-01T00:00:00.500Z'],
    ['2026-09-01T00:00:00', '2026-09-01T00:00:00.000Z'],
  ])('parses %s', (text, iso) => {
    expect(parseDateTime(text)?.toISOString()).toBe(iso);
  });

  it.each(['', 'yesterday', '2026-13-01T00:00:00Z', '1700000000'])('refuses %p', (text) => {
    expect(parseDateTime(text)).toBeUndefined();
  });

  it('recover: since and until are dates', () => {
    expect(parseRecoverIn({ since: '2026-01-01T00:00:00Z' })).toEqual({ since: new Date('2026-01-01T00:00:00Z'), until: undefined });
    expect(issues(() => parseRecoverIn({ since: 'x' }))[0]!.loc).toEqual(['body', 'since']);
    expect(issues(() => parseRecoverIn({}))[0]!.loc).toEqual(['body', 'since']);
  });
});
