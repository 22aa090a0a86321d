/**
 * MessageIn.deliverAt: the pure decisions (publish delay, fan-out hold, the 24 h limit) and the
 * fan-out handler's hold, which must report the task failed without logging it as an error.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSEvent } from 'aws-lambda';
import { ValidationError } from '../../functions/core/errors.ts';
import type { Stores } from '../../functions/core/ports.ts';
import {
  MAX_FANOUT_HOLD_SECONDS,
  fanoutHoldSeconds,
  publishDelaySeconds,
  deliverAtTooFar,
} from '../../functions/core/fanout/scheduled-delivery.ts';
import type { DeliveryTask, MessageFanoutTask } from '../../functions/core/tasks/tasks.ts';
import { parseMessageIn } from '../../functions/api/schemas/message.ts';
import { createFanoutHandler } from '../../functions/fanout/handler.ts';
import { QUEUES } from '../../functions/shared/names.ts';

const now = new Date('2026-11-30T00:00:00.000Z');
const at = (ms: number): string => new Date(now.getTime() + ms).toISOString();

describe('publishDelaySeconds', () => {
  it('is 0 without deliverAt, or when it is now or past', () => {
    expect(publishDelaySeconds(null, now)).toBe(0);
    expect(publishDelaySeconds(undefined, now)).toBe(0);
    expect(publishDelaySeconds(at(0), now)).toBe(0);
    expect(publishDelaySeconds(at(-60_000), now)).toBe(0);
  });

  it('rounds up to whole seconds and caps at SQS\'s 900 s', () => {
    expect(publishDelaySeconds(at(1), now)).toBe(1);
    expect(publishDelaySeconds(at(2_300), now)).toBe(3);
    expect(publishDelaySeconds(at(900_000), now)).toBe(900);
    expect(publishDelaySeconds(at(24 * 3_600_000), now)).toBe(900);
  });
});

describe('fanoutHoldSeconds', () => {
  it('fans out when deliverAt is absent, now or past', () => {
    expect(fanoutHoldSeconds(undefined, now)).toBeUndefined();
    expect(fanoutHoldSeconds(at(0), now)).toBeUndefined();
    expect(fanoutHoldSeconds(at(-1), now)).toBeUndefined();
  });

  it('holds for the remaining wait, rounded up, capped below 12 h by the consumer timeout', () => {
    expect(fanoutHoldSeconds(at(10), now)).toBe(1);
    expect(fanoutHoldSeconds(at(5_500), now)).toBe(6);
    expect(MAX_FANOUT_HOLD_SECONDS).toBe(43_200 - QUEUES.fanout.consumerTimeoutSeconds);
    expect(fanoutHoldSeconds(at(20 * 3_600_000), now)).toBe(MAX_FANOUT_HOLD_SECONDS);
  });

  it('gets a 24 h schedule through in 3 receives, within the fan-out maxReceiveCount', () => {
    const deliverAt = at(24 * 3_600_000);
    let clock = now.getTime() + publishDelaySeconds(deliverAt, now) * 1000;
    let receives = 0;
    for (;;) {
      receives++;
      const hold = fanoutHoldSeconds(deliverAt, new Date(clock));
      if (hold === undefined) break;
      // Worst case: the hold is set at the very end of the consumer's timeout.
      clock += (QUEUES.fanout.consumerTimeoutSeconds + hold) * 1000;
      expect(receives).toBeLessThan(10);
    }
    expect(receives).toBe(3);
    expect(receives).toBeLessThan(QUEUES.fanout.maxReceiveCount);
    expect(clock).toBeGreaterThanOrEqual(Date.parse(deliverAt));
  });
});

describe('the 24 h limit', () => {
  const base = { eventType: 'user.signup', payload: { a: 1 } };

  it('accepts up to 24 h ahead and any past date', () => {
    expect(deliverAtTooFar(at(24 * 3_600_000), now)).toBe(false);
    expect(deliverAtTooFar(at(24 * 3_600_000 + 1), now)).toBe(true);
    expect(parseMessageIn({ ...base, deliverAt: at(24 * 3_600_000) }, now).deliverAt).toBe(at(24 * 3_600_000));
    expect(parseMessageIn({ ...base, deliverAt: at(-86_400_000 * 30) }, now).deliverAt).toBe(at(-86_400_000 * 30));
  });

  it('refuses more than 24 h ahead with a 422 at body.deliverAt', () => {
    let error: unknown;
    try {
      parseMessageIn({ ...base, deliverAt: at(25 * 3_600_000) }, now);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues[0]!.loc).toEqual(['body', 'deliverAt']);
  });
});

describe('the fan-out handler', () => {
  function record(task: MessageFanoutTask) {
    return {
      messageId: `m-${task.msgId}`,
      receiptHandle: `rh-${task.msgId}`,
      body: JSON.stringify(task),
      attributes: { ApproximateReceiveCount: '1' },
    };
  }

  it('holds a task received before its deliverAt: visibility = the remaining wait, reported failed, not logged as an error', async () => {
    const delays: [string, number][] = [];
    const sent: DeliveryTask[] = [];
    const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
    const errors: unknown[] = [];
    logger.error = (...args: unknown[]) => void errors.push(args);
    const endpoint = { id: 'ep_1', disabled: false, eventTypes: null, channels: null };
    // The due task routes from its own fields, so only the endpoint list is read.
    const stores = { endpoints: { all: async () => [endpoint] } } as unknown as Stores;
    const handler = createFanoutHandler({
      stores,
      deliveryQueue: { sendAll: async (tasks) => void sent.push(...tasks) },
      visibility: { delay: async (handle, seconds) => void delays.push([handle, seconds]) },
      logger,
      now: () => now,
    });
    const held: MessageFanoutTask = { kind: 'message', appId: 'app_1', msgId: 'held', eventType: 'a.b', channels: null, deliverAt: at(7_200_000) };
    const due: MessageFanoutTask = { kind: 'message', appId: 'app_1', msgId: 'due', eventType: 'a.b', channels: null, deliverAt: at(-1) };
    const event = { Records: [record(held), record(due)] } as unknown as SQSEvent;
    const response = await handler(event, { getRemainingTimeInMillis: () => 30_000 } as never);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-held' }]);
    expect(delays).toEqual([['rh-held', 7_200]]);
    expect(sent.map((t) => t.msgId)).toEqual(['due']);
    expect(errors).toEqual([]);
  });
});
