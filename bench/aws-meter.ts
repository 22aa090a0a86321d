/**
 * Counts what each function costs on AWS while the local stack runs: every SDK call (an SDK
 * middleware on each function's clients, by service and operation, with DynamoDB's consumed
 * capacity and SQS's 64 KB billing chunks) and every handler invocation with its duration.
 *
 * DynamoDB Local returns ConsumedCapacity when asked, so the middleware asks (ReturnConsumedCapacity
 * INDEXES: the total, with the indexes' share) on every operation that accepts it: the units are
 * then the service's own arithmetic (item size rounding, transactions at 2×, consistent reads at 1
 * unit per 4 KB, index writes) rather than ours.
 */
import type { AwsClients } from '../functions/shared/wiring.ts';
import type { LocalFunctionName, StackInstrumentation } from '../local/stack.ts';
import { CAPACITY_OPERATIONS, READ_OPERATIONS, SQS_CHUNK_BYTES, consumedUnits, sqsPayloadBytes } from './aws-billing.ts';

export type FunctionName = LocalFunctionName;

export interface OperationCount {
  fn: FunctionName;
  /** The AwsClients key the client sits under: 'dynamo', 'sqs', or any client added later (e.g. 'kms'). */
  service: string;
  operation: string;
  calls: number;
  errors: number;
  /** SQS: each call is billed per started 64 KB of payload. */
  billedRequests: number;
  /** DynamoDB: consumed read / write request units (on-demand billing units). */
  readUnits: number;
  writeUnits: number;
  /** Of writeUnits, those spent on global secondary indexes. */
  indexWriteUnits: number;
  /** Sum of call durations (ms): divided by calls, the emulator's latency. */
  totalMs: number;
  /** ReceiveMessage calls that returned no message, and messages received (SQS). */
  emptyReceives: number;
  messagesReceived: number;
}

export interface InvocationCount {
  fn: FunctionName;
  invocations: number;
  /** Sum of handler durations, each rounded up to 1 ms as Lambda bills. */
  billedMs: number;
  /** Records handled, for SQS-triggered functions (batch size actually achieved). */
  records: number;
}

/** One handler invocation, when the timeline is on (idle latency breakdown). */
export interface TimelineEntry {
  fn: FunctionName;
  start: number;
  end: number;
}

export interface MeterSnapshot {
  operations: OperationCount[];
  invocations: InvocationCount[];
}

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;
type Handler = (args: { input: object }) => Promise<{ output: unknown }>;
/** The part of an SDK v3 client the meter uses. */
interface Metered {
  middlewareStack: {
    add(
      middleware: (next: Handler, context: { commandName?: string }) => Handler,
      options: { step: 'initialize'; name: string; override?: boolean },
    ): void;
  };
}

export class AwsMeter {
  private readonly operations = new Map<string, OperationCount>();
  private readonly invocationCounts = new Map<FunctionName, InvocationCount>();
  private inFlight = 0;
  private lastActivity = 0;
  /** Set when DynamoDB answers without ConsumedCapacity (the figures would then be incomplete). */
  missingCapacity = 0;
  /** Handler invocations in order, while `recordTimeline` is true. */
  recordTimeline = false;
  timeline: TimelineEntry[] = [];

  /** The hooks startSluice() takes (`instrument`). */
  readonly instrumentation: StackInstrumentation = {
    clients: (fn, clients) => this.attach(fn, clients),
    handler: (fn, handler) => this.wrap(fn, handler),
  };

  reset(): void {
    this.operations.clear();
    this.invocationCounts.clear();
    this.missingCapacity = 0;
  }

  snapshot(): MeterSnapshot {
    return {
      operations: [...this.operations.values()].map((o) => ({ ...o })),
      invocations: [...this.invocationCounts.values()].map((i) => ({ ...i })),
    };
  }

  /** True when no handler or non-polling SDK call has run for `quietMs`. */
  isQuiet(quietMs: number): boolean {
    return this.inFlight === 0 && performance.now() - this.lastActivity >= quietMs;
  }

  private count(fn: FunctionName, service: string, operation: string): OperationCount {
    const key = `${fn}/${service}/${operation}`;
    let entry = this.operations.get(key);
    if (entry === undefined) {
      entry = {
        fn, service, operation, calls: 0, errors: 0, billedRequests: 0, readUnits: 0, writeUnits: 0,
        indexWriteUnits: 0, totalMs: 0, emptyReceives: 0, messagesReceived: 0,
      };
      this.operations.set(key, entry);
    }
    return entry;
  }

  private attach(fn: FunctionName, clients: AwsClients): void {
    // Every SDK client of the set, whatever the set holds (new clients are metered without changes here).
    const targets = Object.entries(clients as unknown as Record<string, unknown>)
      .filter((entry): entry is [string, Metered] => typeof (entry[1] as Metered | undefined)?.middlewareStack?.add === 'function')
      .map(([service, client]) => ({ service, stack: client.middlewareStack }));
    for (const { service, stack } of targets) {
      stack.add(
        (next, context) => async (args) => {
          const operation = String(context.commandName ?? 'Unknown').replace(/Command$/, '');
          const input = args.input as Input;
          if (service === 'dynamo' && CAPACITY_OPERATIONS.has(operation)) input['ReturnConsumedCapacity'] ??= 'INDEXES';
          const polling = operation === 'ReceiveMessage';
          if (!polling) this.inFlight++;
          const started = performance.now();
          let output: Output | undefined;
          let failed = false;
          try {
            const result = await next(args);
            output = result.output as Output;
            return result;
          } catch (error) {
            failed = true;
            throw error;
          } finally {
            if (!polling) this.inFlight--;
            // Counted when the call ends, so a long poll still waiting at a snapshot is not half-counted.
            const entry = this.count(fn, service, operation);
            entry.calls++;
            entry.totalMs += performance.now() - started;
            if (failed) {
              entry.errors++;
              // A failed conditional write still consumes capacity; the error carries no figure, so
              // it is counted as one unit (items here are < 1 KB).
              if (service === 'dynamo' && !READ_OPERATIONS.has(operation)) entry.writeUnits += 1;
            }
            if (service === 'sqs') {
              const payload = sqsPayloadBytes(operation, input, output);
              entry.billedRequests += Math.max(1, Math.ceil(payload / SQS_CHUNK_BYTES));
              if (polling) {
                const received = ((output?.['Messages'] as unknown[] | undefined) ?? []).length;
                entry.messagesReceived += received;
                if (received === 0) entry.emptyReceives++;
                else this.lastActivity = performance.now();
              } else {
                this.lastActivity = performance.now();
              }
            } else {
              this.lastActivity = performance.now();
              if (service === 'dynamo') this.addCapacity(entry, operation, output);
            }
          }
        },
        { step: 'initialize', name: 'sluiceBenchMeter', override: true },
      );
    }
  }

  private addCapacity(entry: OperationCount, operation: string, output: Output | undefined): void {
    if (output === undefined) return;
    const units = consumedUnits(operation, output);
    if (units === undefined) {
      if (CAPACITY_OPERATIONS.has(operation)) this.missingCapacity++;
      return;
    }
    entry.readUnits += units.read;
    entry.writeUnits += units.write;
    entry.indexWriteUnits += units.indexWrite;
  }

  private wrap<H extends (event: never, context: never) => Promise<unknown>>(fn: FunctionName, handler: H): H {
    const wrapped = async (event: never, context: never): Promise<unknown> => {
      let entry = this.invocationCounts.get(fn);
      if (entry === undefined) {
        entry = { fn, invocations: 0, billedMs: 0, records: 0 };
        this.invocationCounts.set(fn, entry);
      }
      entry.invocations++;
      const records = (event as { Records?: unknown[] }).Records;
      if (Array.isArray(records)) entry.records += records.length;
      this.inFlight++;
      const started = performance.now();
      try {
        return await handler(event, context);
      } finally {
        this.inFlight--;
        this.lastActivity = performance.now();
        if (this.recordTimeline) this.timeline.push({ fn, start: started, end: this.lastActivity });
        // Re-read: reset() may have replaced the entry while this invocation ran.
        const current = this.invocationCounts.get(fn);
        if (current !== undefined) current.billedMs += Math.max(1, Math.ceil(performance.now() - started));
      }
    };
    return wrapped as unknown as H;
  }
}
