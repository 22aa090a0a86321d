/** The ops route finds each queue's DLQ by name: standard and FIFO queues (ordered endpoints) alike. */
import { deadLetterQueueUrl } from '../../functions/adapters/sqs/queue-stats.ts';

test.each([
  ['https://sqs.eu-west-1.amazonaws.com/123456789012/Sluice-sluice-delivery', 'https://sqs.eu-west-1.amazonaws.com/123456789012/Sluice-sluice-delivery-dlq'],
  ['https://sqs.eu-west-1.amazonaws.com/123456789012/Sluice-sluice-delivery-ordered.fifo', 'https://sqs.eu-west-1.amazonaws.com/123456789012/Sluice-sluice-delivery-ordered-dlq.fifo'],
  ['http://127.0.0.1:4566/000000000000/sluice-fanout-ordered.fifo', 'http://127.0.0.1:4566/000000000000/sluice-fanout-ordered-dlq.fifo'],
])('%s → %s', (queue, dlq) => {
  expect(deadLetterQueueUrl(queue)).toBe(dlq);
});
