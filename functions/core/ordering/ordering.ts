/**
 * Ordered (FIFO) endpoints: an endpoint with `ordering: "fifo"` receives its messages strictly in
 * publish order, one request in flight at a time; a message that fails holds the ones behind it until it
 * succeeds or its schedule ends, then the next goes. Other endpoints of the same messages are not held.
 *
 * How (SQS FIFO, no locks of our own):
 * - An app with an ordered endpoint is marked (Application.orderedDelivery, written before the endpoint).
 *   Its messages are fanned out through the FIFO fan-out queue, one message group per app, so fan-out
 *   handles them one at a time in the order the API queued them: publish order.
 * - Fan-out sends an ordered endpoint's deliveries to the FIFO delivery queue, one group per endpoint.
 *   SQS hands out a group's next task only once the one before is deleted or visible again, and a retry
 *   is a visibility change on the same task: the group waits for it.
 * - The consumers run a FIFO batch group by group (adapters/sqs/batch.ts processSqsRecordsInOrder).
 *
 * Not ordered: scheduled messages (deliverAt; they are ordered by when they come due, best effort) and
 * manual attempts (resend, recover: one out-of-band attempt, not queued behind the endpoint's backlog).
 */
import type { Application, Endpoint } from '../model.ts';

export const isOrderedEndpoint = (endpoint: Pick<Endpoint, 'ordering'>): boolean => endpoint.ordering === 'fifo';

/** A message published to `app` goes through the FIFO fan-out queue (immediate messages of marked apps). */
export const fansOutInOrder = (app: Pick<Application, 'orderedDelivery'>, message: { deliverAt: string | null }): boolean =>
  app.orderedDelivery === true && message.deliverAt === null;
