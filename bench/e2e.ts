/**
 * End-to-end runs on the local stack: publish through the REST API, measure at the receiver.
 * - throughput: `messages` messages from `publishers` concurrent publishers (closed loop: each sends
 *   its next message when the API has answered the last), to an app with K endpoints;
 * - idle latency: one message at a time, the next only once the previous one has arrived.
 * Latency is receiver arrival − the moment the publish request was sent, joined on webhook-id.
 */
import { publish, type ApiClient, type BenchApp } from './api-client.ts';
import type { BenchReceiver } from './receiver.ts';
import type { AwsMeter } from './aws-meter.ts';
import { median, summarize, type LatencySummary } from './stats.ts';

export interface ThroughputResult {
  endpoints: number;
  messages: number;
  publishers: number;
  deliveries: number;
  duplicates: number;
  /** First publish sent → last delivery arrived. */
  elapsedMs: number;
  deliveriesPerSecond: number;
  publishesPerSecond: number;
  latencyMs: LatencySummary;
  publishMs: LatencySummary;
}

export async function runThroughput(options: {
  api: ApiClient;
  receiver: BenchReceiver;
  app: BenchApp;
  messages: number;
  publishers: number;
  timeoutMs: number;
  /** Each message's payload; default samplePayload (~350 bytes). */
  payloadOf?: (n: number) => Record<string, unknown>;
}): Promise<ThroughputResult> {
  const { api, receiver, app, messages, publishers } = options;
  receiver.clear();
  const sent = new Map<string, number>();
  const publishDurations: number[] = [];
  let next = 0;
  let lastPublished = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < messages) {
      const n = next++;
      const p = await publish(api, app.uid, n, options.payloadOf);
      const done = performance.now();
      publishDurations.push(done - p.sentAt);
      lastPublished = done;
      sent.set(p.msgId, p.sentAt);
    }
  };
  await Promise.all(Array.from({ length: Math.min(publishers, messages) }, worker));
  // Only this run's messages count (a straggler of an earlier run is ignored), each (endpoint,
  // webhook-id) once: at-least-once delivery may repeat one.
  const expected = messages * app.paths.length;
  const seen = new Set<string>();
  const latencies: number[] = [];
  let duplicates = 0;
  let lastArrival = started;
  let scanned = 0;
  const tally = (): boolean => {
    for (; scanned < receiver.arrivals.length; scanned++) {
      const a = receiver.arrivals[scanned]!;
      const sentAt = sent.get(a.webhookId);
      if (sentAt === undefined) continue;
      const key = `${a.path} ${a.webhookId}`;
      if (seen.has(key)) {
        duplicates++;
        continue;
      }
      seen.add(key);
      latencies.push(a.at - sentAt);
      lastArrival = Math.max(lastArrival, a.at);
    }
    return seen.size >= expected;
  };
  await receiver.waitUntil(tally, options.timeoutMs, () => `got ${seen.size} of ${expected} deliveries`);
  const elapsedMs = lastArrival - started;
  return {
    endpoints: app.paths.length,
    messages,
    publishers,
    deliveries: seen.size,
    duplicates,
    elapsedMs,
    deliveriesPerSecond: (seen.size / elapsedMs) * 1000,
    publishesPerSecond: (messages / (lastPublished - started)) * 1000,
    latencyMs: summarize(latencies),
    publishMs: summarize(publishDurations),
  };
}

/** Median milliseconds after the publish request was sent, at which each step of one idle message happened. */
export interface IdleStages {
  apiReturned: number;
  fanoutStarted: number;
  fanoutReturned: number;
  deliveryStarted: number;
  arrived: number;
}

/** Median handler duration (ms) of each function on an idle message: its I/O wait at emulator latency. */
export type IdleDurations = Record<'api' | 'fanout' | 'deliver', number>;

/** One message at a time to an app with one endpoint; each must arrive before the next is sent. */
export async function runIdleLatency(options: {
  api: ApiClient;
  receiver: BenchReceiver;
  app: BenchApp;
  messages: number;
  /** Pause between messages, so every one finds the pipeline idle (pollers waiting). */
  pauseMs: number;
  /** The meter's handler timeline, for the per-step breakdown. */
  meter?: AwsMeter;
}): Promise<{
  messages: number;
  latencyMs: LatencySummary;
  publishMs: LatencySummary;
  stages: IdleStages | undefined;
  handlerMs: IdleDurations | undefined;
}> {
  const { api, receiver, app, meter } = options;
  const path = app.paths[0]!;
  const latencies: number[] = [];
  const publishDurations: number[] = [];
  const steps: Record<keyof IdleStages, number[]> = { apiReturned: [], fanoutStarted: [], fanoutReturned: [], deliveryStarted: [], arrived: [] };
  const durations: Record<keyof IdleDurations, number[]> = { api: [], fanout: [], deliver: [] };
  if (meter !== undefined) meter.recordTimeline = true;
  try {
    for (let i = 0; i < options.messages; i++) {
      receiver.clear();
      if (meter !== undefined) meter.timeline = [];
      const sentAt = performance.now();
      const p = await publish(api, app.uid, i);
      publishDurations.push(performance.now() - sentAt);
      const arrival = await receiver.waitFor(path, p.msgId, 10_000);
      latencies.push(arrival.at - p.sentAt);
      await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
      const byFn = (fn: string) => meter?.timeline.find((t) => t.fn === fn);
      const [a, f, d] = [byFn('api'), byFn('fanout'), byFn('deliver')];
      if (a !== undefined && f !== undefined && d !== undefined) {
        steps.apiReturned.push(a.end - sentAt);
        steps.fanoutStarted.push(f.start - sentAt);
        steps.fanoutReturned.push(f.end - sentAt);
        steps.deliveryStarted.push(d.start - sentAt);
        steps.arrived.push(arrival.at - sentAt);
        durations.api.push(a.end - a.start);
        durations.fanout.push(f.end - f.start);
        durations.deliver.push(d.end - d.start);
      }
    }
  } finally {
    if (meter !== undefined) meter.recordTimeline = false;
  }
  const stages =
    steps.arrived.length === 0
      ? undefined
      : (Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, median(v)])) as unknown as IdleStages);
  const handlerMs =
    stages === undefined
      ? undefined
      : { api: median(durations.api), fanout: median(durations.fanout), deliver: median(durations.deliver) };
  return { messages: options.messages, latencyMs: summarize(latencies), publishMs: summarize(publishDurations), stages, handlerMs };
}
