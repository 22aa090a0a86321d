/**
 * Operational webhook payloads (Svix's EndpointDisabledEvent, MessageAttemptExhaustedEvent and
 * MessageAttemptFailingEvent) and their webhook-ids: deterministic per event, so a repeat dedupes.
 */
import {
  endpointDisabledEvent,
  messageAttemptEvent,
  operationalEventId,
  operationalTask,
} from '../../functions/core/operational/events.ts';

const app = { id: 'app_2ZzZzZzZzZzZzZzZzZzZzZzZzZz', uid: 'acme' };
const message = { id: 'msg_2ZzZzZzZzZzZzZzZzZzZzZzZzZz', eventId: 'evt-1' };
const attempt = { id: 'atmpt_2ZzZzZzZzZzZzZzZzZzZzZzZzZz', timestamp: '2026-11-30T00:00:00.000Z', responseStatusCode: 503, endpointId: 'ep_1' };

test('message.attempt.exhausted / failing carry the last attempt', () => {
  for (const type of ['message.attempt.exhausted', 'message.attempt.failing'] as const) {
    expect(messageAttemptEvent(type, app, message, attempt)).toEqual({
      type,
      data: {
        appId: app.id,
        appUid: 'acme',
        endpointId: 'ep_1',
        msgId: message.id,
        msgEventId: 'evt-1',
        lastAttempt: { id: attempt.id, timestamp: attempt.timestamp, responseStatusCode: 503 },
      },
    });
  }
});

test('endpoint.disabled says since when it failed, and that it was automatic', () => {
  expect(endpointDisabledEvent(app, { id: 'ep_1', uid: null }, '2026-11-25T00:00:00.000Z')).toEqual({
    type: 'endpoint.disabled',
    data: { appId: app.id, appUid: 'acme', endpointId: 'ep_1', endpointUid: null, failSince: '2026-11-25T00:00:00.000Z', trigger: 'automatic' },
  });
});

test('webhook-ids are msg_ ids, the same for the same event and different across events', () => {
  const exhausted = messageAttemptEvent('message.attempt.exhausted', app, message, attempt);
  const failing = messageAttemptEvent('message.attempt.failing', app, message, attempt);
  const id = operationalEventId(exhausted);
  expect(id).toMatch(/^msg_[0-9A-Za-z]{27}$/);
  expect(operationalEventId(messageAttemptEvent('message.attempt.exhausted', app, message, { ...attempt, id: 'atmpt_other' }))).toBe(id);
  expect(operationalEventId(failing)).not.toBe(id);
  expect(operationalTask(exhausted)).toEqual({ kind: 'operational', id, event: exhausted });
});
