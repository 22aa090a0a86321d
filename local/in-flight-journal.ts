/**
 * After a crash, the tasks this stack's pollers were working on come back within seconds, not after
 * their visibility timeout.
 *
 * fauxqs persists each in-flight task with its visibility deadline, as SQS does, so a task received
 * just before a SIGKILL would stay invisible for the queue's full visibility timeout (6 min for delivery)
 * after a restart. It cannot simply make every in-flight task visible: a retry IS an in-flight task
 * whose visibility was set to the retry delay, and it must keep its schedule. So this journal records,
 * from the pollers' and handlers' own SQS calls, which receipts are still being worked on: added when
 * received, removed when deleted or re-timed (a retry, a throttle hold, a poison task handed back).
 * What is left in the journal when the stack starts was interrupted, and is made visible again (in 1 s).
 *
 * The journal is an append-only file of JSON lines, written synchronously (a SIGKILL loses nothing
 * that was written; only the OS crashing could), and compacted now and then.
 */
import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ChangeMessageVisibilityBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

type Entry = { received: { queue: string; handles: string[] } } | { settled: string[] };

/** Receipts older than this were abandoned by a failed batch (SQS re-delivers them under new receipts). */
const ABANDONED_AFTER_MS = 15 * 60_000;
const COMPACT_EVERY_LINES = 5_000;
const MIDDLEWARE_NAME = 'sluiceInFlightJournal';

export const journalFile = (dataDir: string): string => join(dataDir, 'sqs', 'in-flight.jsonl');

export interface InterruptedTask {
  queueUrl: string;
  receiptHandle: string;
}

/** Reads what an earlier run left in flight (a torn last line, from a kill mid-write, is skipped). */
export function readInterrupted(file: string): InterruptedTask[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const open = new Map<string, string>();
  for (const line of text.split('\n')) {
    let entry: Entry;
    try {
      entry = JSON.parse(line) as Entry;
    } catch {
      continue;
    }
    if ('received' in entry) for (const handle of entry.received.handles) open.set(handle, entry.received.queue);
    else for (const handle of entry.settled) open.delete(handle);
  }
  return [...open].map(([receiptHandle, queueUrl]) => ({ queueUrl, receiptHandle }));
}

/**
 * Makes the interrupted tasks visible now, on the queues at `sqsEndpoint` (the emulator's port changes
 * between runs; the queue is the URL's path). Receipts that are no longer valid are skipped.
 */
export async function releaseInterrupted(sqs: SQSClient, sqsEndpoint: string, tasks: InterruptedTask[]): Promise<number> {
  const byQueue = new Map<string, string[]>();
  for (const task of tasks) {
    // Not `new URL()`: fauxqs's queue URLs (http://sqs.us-east-1.127.0.0.1:port/…) are not WHATWG-valid.
    const path = /^[a-z]+:\/\/[^/]*(\/.*)$/i.exec(task.queueUrl)?.[1];
    if (path === undefined) continue;
    const queueUrl = `${sqsEndpoint.replace(/\/+$/, '')}${path}`;
    byQueue.set(queueUrl, [...(byQueue.get(queueUrl) ?? []), task.receiptHandle]);
  }
  let released = 0;
  for (const [queueUrl, handles] of byQueue) {
    for (let i = 0; i < handles.length; i += 10) {
      const batch = handles.slice(i, i + 10);
      const result = await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          // 1 s, not 0: fauxqs 2.4 with a dataDir fails a change to 0 (it writes NULL into a NOT NULL column).
          Entries: batch.map((handle, n) => ({ Id: String(n), ReceiptHandle: handle, VisibilityTimeout: 1 })),
        }),
      );
      released += result.Successful?.length ?? 0;
    }
  }
  return released;
}

export interface InFlightJournal {
  /** Records the receives, deletes and visibility changes `sqs` makes from now on. */
  watch(sqs: SQSClient): void;
}

/** Starts a fresh journal at `file` (read the earlier one with readInterrupted first). */
export function openInFlightJournal(file: string): InFlightJournal {
  const open = new Map<string, { queue: string; at: number }>();
  let lines = 0;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, '');

  const compact = (): void => {
    const now = Date.now();
    const byQueue = new Map<string, string[]>();
    for (const [handle, { queue, at }] of open) {
      if (now - at > ABANDONED_AFTER_MS) open.delete(handle);
      else byQueue.set(queue, [...(byQueue.get(queue) ?? []), handle]);
    }
    const text = [...byQueue].map(([queue, handles]) => `${JSON.stringify({ received: { queue, handles } } satisfies Entry)}\n`).join('');
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
    lines = byQueue.size;
  };
  const append = (entry: Entry): void => {
    appendFileSync(file, `${JSON.stringify(entry)}\n`);
    if (++lines >= COMPACT_EVERY_LINES) compact();
  };
  const received = (queue: string, handles: string[]): void => {
    if (handles.length === 0) return;
    const at = Date.now();
    for (const handle of handles) open.set(handle, { queue, at });
    append({ received: { queue, handles } });
  };
  const settled = (handles: string[]): void => {
    const known = handles.filter((h) => open.delete(h));
    if (known.length > 0) append({ settled: known });
  };

  return {
    watch(sqs) {
      sqs.middlewareStack.add(
        (next, context) => async (args) => {
          const result = await next(args);
          // Recorded only once SQS has answered: a receipt is settled when SQS says so, not before.
          const input = args.input as { QueueUrl?: string; ReceiptHandle?: string; Entries?: { ReceiptHandle?: string }[] };
          switch (context.commandName) {
            case 'ReceiveMessageCommand': {
              const messages = (result.output as { Messages?: { ReceiptHandle?: string }[] }).Messages ?? [];
              received(input.QueueUrl ?? '', messages.flatMap((m) => (m.ReceiptHandle === undefined ? [] : [m.ReceiptHandle])));
              break;
            }
            case 'DeleteMessageCommand':
            case 'ChangeMessageVisibilityCommand':
              if (input.ReceiptHandle !== undefined) settled([input.ReceiptHandle]);
              break;
            case 'DeleteMessageBatchCommand':
            case 'ChangeMessageVisibilityBatchCommand': {
              const ok = new Set((result.output as { Successful?: { Id?: string }[] }).Successful?.map((s) => s.Id));
              const entries = (input.Entries ?? []) as { Id?: string; ReceiptHandle?: string }[];
              settled(entries.flatMap((e) => (ok.has(e.Id) && e.ReceiptHandle !== undefined ? [e.ReceiptHandle] : [])));
              break;
            }
          }
          return result;
        },
        { step: 'initialize', name: MIDDLEWARE_NAME },
      );
    },
  };
}

/**
 * npm start's use: read what the last run left in flight, start a fresh journal, and give the stack an
 * `instrument` hook that watches every function's SQS client; once the stack is up, resume the tasks.
 */
export function trackInFlight(dataDir: string): {
  instrument: { clients(fn: string, clients: { sqs: SQSClient }): void };
  resumeInterrupted(sqsEndpoint: string, sqs: SQSClient): Promise<number>;
} {
  const file = journalFile(dataDir);
  const interrupted = readInterrupted(file);
  const journal = openInFlightJournal(file);
  return {
    instrument: { clients: (_fn, clients) => journal.watch(clients.sqs) },
    resumeInterrupted: (sqsEndpoint, sqs) => (interrupted.length === 0 ? Promise.resolve(0) : releaseInterrupted(sqs, sqsEndpoint, interrupted)),
  };
}
