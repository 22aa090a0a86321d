/**
 * AWS-native destinations in the domain: which ARNs name a destination (strictly: the region and
 * account become an AWS host name and a queue URL), what one webhook becomes as an SQS, SNS or
 * EventBridge message (signed so `standardwebhooks` verifies it), what does not fit, and how an
 * endpoint's destination follows from a create, replace or patch.
 */
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { isRoleArn, parseDestinationArn } from '../../functions/core/destinations/arn.ts';
import { DESTINATION_MAX_BYTES } from '../../functions/core/destinations/limits.ts';
import { planDestinationMessage, type DestinationRequest } from '../../functions/core/destinations/request.ts';
import { resolveDestination } from '../../functions/core/destinations/endpoint-destination.ts';
import { ValidationError } from '../../functions/core/errors.ts';
import type { Endpoint, Message } from '../../functions/core/model.ts';
import { nextRetryDelaySeconds } from '../../functions/core/delivery/retry-policy.ts';
import { aMessage, anEndpoint } from '../integration/dynamo-fixtures.ts';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const QUEUE = 'arn:aws:sqs:eu-west-1:111122223333:orders';
const ROLE = 'arn:aws:iam::111122223333:role/sluice-delivery';
/** Whole seconds (webhook-timestamp), and recent: standardwebhooks refuses stale timestamps. */
const now = new Date(Math.floor(Date.now() / 1000) * 1000);

const endpoint = (over: Partial<Endpoint> = {}): Endpoint =>
  anEndpoint('app_2test', {
    id: 'ep_2test',
    url: QUEUE,
    headers: { 'x-custom': 'http only' },
    secrets: [{ key: SECRET, expiresAt: null }],
    destination: { arn: QUEUE, roleArn: ROLE, externalId: 'sluice-ext' },
    ...over,
  });

const message = (over: Partial<Message> = {}): Message =>
  aMessage('app_2test', { id: 'msg_2test', payload: { amount: 12.5, currency: 'EUR' }, timestamp: now.toISOString(), ...over });

function plan(target: string, msg: Message = message()): DestinationRequest {
  const ep = endpoint({ url: target, destination: { arn: target, roleArn: ROLE, externalId: 'sluice-ext' } });
  const result = planDestinationMessage({ message: msg, endpoint: ep, destination: ep.destination!, now });
  if (result.kind !== 'send') throw new Error(result.reason);
  return result.request;
}

/** What a consumer does: the attributes as headers, verified over the signed content. */
const verify = (content: string, attributes: Record<string, string>): unknown =>
  new StandardWebhook(SECRET).verify(content, attributes);

describe('destination ARNs', () => {
  it.each([
    [QUEUE, { type: 'sqs', region: 'eu-west-1', accountId: '111122223333', name: 'orders', fifo: false }],
    ['arn:aws:sqs:us-east-1:111122223333:orders.fifo', { type: 'sqs', name: 'orders.fifo', fifo: true }],
    ['arn:aws:sns:ap-southeast-2:111122223333:billing', { type: 'sns', region: 'ap-southeast-2', name: 'billing', fifo: false }],
    ['arn:aws-us-gov:sns:us-gov-west-1:111122223333:t.fifo', { type: 'sns', partition: 'aws-us-gov', fifo: true }],
    ['arn:aws:events:us-east-1:111122223333:event-bus/customer-bus', { type: 'events', name: 'customer-bus', fifo: false }],
    ['arn:aws-cn:events:cn-north-1:111122223333:event-bus/a.b/c', { type: 'events', partition: 'aws-cn', name: 'a.b/c' }],
  ])('%s is a destination', (arn, expected) => {
    expect(parseDestinationArn(arn)).toMatchObject(expected);
  });

  it.each([
    'arn:aws:sqs:eu-west-1.evil.example:111122223333:orders', // a region that would change the host name
    'arn:aws:sqs:eu-west-1:111122223333:orders/../x',
    'arn:aws:sqs:eu-west-1:11112222333:orders', // 11 digits
    'arn:aws:lambda:eu-west-1:111122223333:function:f',
    'arn:aws:events:us-east-1:111122223333:rule/r',
    'arn:aws:sqs:eu-west-1:111122223333:' + 'q'.repeat(81),
    'arn:aws:sqs:eu-west-1:111122223333:orders\n',
    'arn:evil:sqs:eu-west-1:111122223333:orders',
  ])('%j is not', (arn) => {
    expect(parseDestinationArn(arn)).toBeUndefined();
  });

  it('tells role ARNs from others', () => {
    expect(isRoleArn(ROLE)).toBe(true);
    expect(isRoleArn('arn:aws:iam::111122223333:role/path/to/name')).toBe(true);
    expect(isRoleArn('arn:aws:iam::111122223333:user/alice')).toBe(false);
    expect(isRoleArn('arn:aws:iam::111122223333:role/')).toBe(false);
    expect(isRoleArn(QUEUE)).toBe(false);
  });
});

describe('a webhook as a destination message', () => {
  it('SQS: the body is the payload, the Standard Webhooks headers are attributes, custom headers stay HTTP-only', () => {
    const request = plan(QUEUE);
    expect(request.body).toBe('{"amount":12.5,"currency":"EUR"}');
    expect(request.attributes).toEqual({
      'webhook-id': 'msg_2test',
      'webhook-timestamp': String(now.getTime() / 1000),
      'webhook-signature': expect.stringMatching(/^v1,/),
      'event-type': 'invoice.paid',
    });
    expect(verify(request.body, request.attributes)).toEqual({ amount: 12.5, currency: 'EUR' });
    expect(request.role).toEqual({ arn: ROLE, externalId: 'sluice-ext', sessionName: 'sluice-ep_2test' });
    expect(request.fifo).toBeUndefined();
  });

  it('SNS sends the publisher\'s raw bytes as given, signed as they are', () => {
    const raw = '{ "amount" : 12.50 }';
    const request = plan('arn:aws:sns:eu-west-1:111122223333:billing', message({ rawPayload: raw }));
    expect(request.body).toBe(raw);
    expect(() => verify(request.body, request.attributes)).not.toThrow();
  });

  it('EventBridge: the detail carries headers and payload; the signature covers JSON.stringify(detail.payload)', () => {
    const request = plan('arn:aws:events:eu-west-1:111122223333:event-bus/b', message({ rawPayload: '{ "amount" : 12.50 }' }));
    const detail = JSON.parse(request.body) as { headers: Record<string, string>; payload: unknown };
    expect(detail.payload).toEqual({ amount: 12.5, currency: 'EUR' });
    expect(verify(JSON.stringify(detail.payload), detail.headers)).toEqual(detail.payload);
    expect(request.eventType).toBe('invoice.paid');
  });

  it('FIFO queues get the endpoint as message group and a per-attempt deduplication id', () => {
    expect(plan('arn:aws:sqs:eu-west-1:111122223333:orders.fifo').fifo).toEqual({
      groupId: 'ep_2test',
      deduplicationId: `msg_2test-${now.getTime() / 1000}`,
    });
  });

  it.each([
    ['arn:aws:sqs:eu-west-1:111122223333:q', DESTINATION_MAX_BYTES.sqs],
    ['arn:aws:sns:eu-west-1:111122223333:t', DESTINATION_MAX_BYTES.sns],
    ['arn:aws:events:eu-west-1:111122223333:event-bus/b', DESTINATION_MAX_BYTES.events],
  ])('%s: a webhook over %d bytes (attributes counted) is refused, one just under is sent', (arn, max) => {
    const ep = endpoint({ url: arn, destination: { arn, roleArn: ROLE, externalId: 'x' } });
    const sized = (bytes: number) => message({ payload: { pad: 'x'.repeat(bytes) } });
    const attempt = (bytes: number) => planDestinationMessage({ message: sized(bytes), endpoint: ep, destination: ep.destination!, now });
    expect(attempt(max - 2000).kind).toBe('send');
    const refused = attempt(max);
    expect(refused).toEqual({ kind: 'refuse', reason: expect.stringMatching(new RegExp(`takes at most ${max} bytes`)) });
  });

  it('a refusal for size is final: the retry policy schedules nothing after it', () => {
    const outcome = { kind: 'http-error' as const, statusCode: 413, final: true };
    expect(nextRetryDelaySeconds({ attemptNumber: 1, schedule: [5, 300], outcome, random: () => 0.5 })).toBeNull();
    expect(nextRetryDelaySeconds({ attemptNumber: 1, schedule: [5, 300], outcome: { ...outcome, final: false }, random: () => 0.5 })).toBe(5);
  });
});

describe('an endpoint\'s destination', () => {
  const locOf = (fn: () => unknown): unknown => {
    try {
      fn();
    } catch (error) {
      if (error instanceof ValidationError) return error.issues.map((i) => i.loc);
      throw error;
    }
    return undefined;
  };

  it('an http url has none, and refuses one', () => {
    expect(resolveDestination('https://example.com/hook', undefined, undefined)).toBeNull();
    expect(locOf(() => resolveDestination('https://example.com/hook', { roleArn: ROLE }, undefined))).toEqual([['body', 'destination']]);
  });

  it('an ARN url needs the role the first time, and gets a fresh external id', () => {
    expect(locOf(() => resolveDestination(QUEUE, undefined, undefined))).toEqual([['body', 'destination']]);
    const a = resolveDestination(QUEUE, { roleArn: ROLE }, undefined);
    const b = resolveDestination(QUEUE, { roleArn: ROLE }, undefined);
    expect(a).toEqual({ arn: QUEUE, roleArn: ROLE, externalId: expect.stringMatching(/^sluice-[\w-]{32}$/) });
    expect(a?.externalId).not.toBe(b?.externalId);
  });

  it('a replace that echoes the ARN (an SDK client) keeps role and external id; a new role keeps the external id', () => {
    const previous = endpoint();
    expect(resolveDestination(QUEUE, undefined, previous)).toEqual(previous.destination);
    const other = 'arn:aws:iam::111122223333:role/other';
    expect(resolveDestination(QUEUE, { roleArn: other }, previous)).toEqual({ arn: QUEUE, roleArn: other, externalId: 'sluice-ext' });
    const topic = 'arn:aws:sns:eu-west-1:111122223333:t';
    expect(resolveDestination(topic, undefined, previous)).toEqual({ arn: topic, roleArn: ROLE, externalId: 'sluice-ext' });
  });

  it('back to an http url clears it; null with an ARN url is refused', () => {
    expect(resolveDestination('https://example.com/', undefined, endpoint())).toBeNull();
    expect(locOf(() => resolveDestination(QUEUE, null, endpoint()))).toEqual([['body', 'destination']]);
  });
});
