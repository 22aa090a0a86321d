/**
 * A recorded-contract stand-in for EventBridge PutEvents, built from the documented API; not an
 * emulator: there are no rules, no targets, no archives, and signatures are not verified. It speaks the
 * JSON 1.1 protocol (`X-Amz-Target: AWSEvents.PutEvents`) so the real EventBridgeClient runs unchanged,
 * and records each accepted event per bus, with the access key id that signed the request.
 *
 * Documented rules it enforces (API reference PutEvents / PutEventsRequestEntry / PutEventsResultEntry,
 * user guide "Sending events with PutEvents" and "Calculating PutEvents event entry size"):
 * - Entries holds 1 to 10 items, else the whole request fails: ValidationException (400).
 * - "The total entry size must be less than 1MB" (256 KB before January 2026; `maxRequestEntriesBytes`
 *   sets the figure), summed over the request's entries as documented: Time 14 bytes if given, plus the
 *   UTF-8 bytes of Source, DetailType, Detail and each Resources item. Over it, the whole request fails:
 *   ValidationException "Total size of the entries in the request is over the limit."
 * - Source, DetailType and Detail are required for an entry to succeed: otherwise that entry fails with
 *   InvalidArgument and the others go on. Detail must be a JSON object, else MalformedDetail. (The docs
 *   add that a request where no entry has all three "fails the entire request" but name no error for
 *   it; here each such entry fails on its own, so all of them do.)
 * - EventBusName is a name or an event-bus ARN; omitted means "default". A bus that does not exist
 *   fails that entry with ResourceNotFoundException (PutEvents lists no such request error).
 * - Results come back in request order: EventId for a success, ErrorCode and ErrorMessage for a failure,
 *   and FailedEntryCount.
 * Buses are kept by ARN: a name means a bus of this stand-in's account, and createBus() with an ARN
 * adds another account's bus (in this region), so one stand-in serves several customer accounts.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenOnLoopback } from './loopback-server.ts';

export interface RecordedEvent {
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
  /** ISO 8601, to the second: the entry's Time, or when the stand-in received it. */
  time: string;
  resources: string[];
  /** From the request's `Authorization: … Credential=<access key id>/…`; undefined if unsigned. */
  accessKeyId: string | undefined;
}

export interface EventBridgeStandIn {
  endpoint: string;
  /** Creates a custom bus (idempotent) and returns its ARN; an ARN may name another account's bus. */
  createBus(nameOrArn: string): string;
  events(busNameOrArn: string): RecordedEvent[];
  /** The next `count` entries that would succeed fail instead, each with `errorCode`. */
  failNext(count: number, errorCode: string): void;
  stop(): Promise<void>;
}

export interface EventBridgeStandInOptions {
  port?: number;
  region?: string;
  accountId?: string;
  /** The documented request-entries size limit; 1 MiB since January 2026 (was 256 KiB). */
  maxRequestEntriesBytes?: number;
}

type ResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

const PUT_EVENTS_TARGET = 'AWSEvents.PutEvents';
const MAX_ENTRIES = 10;
const DEFAULT_MAX_REQUEST_ENTRIES_BYTES = 1024 * 1024;
const TIME_FIELD_BYTES = 14;
const BUS_NAME = /^[.\-_A-Za-z0-9]{1,256}$/;
const BUS_ARN = /^arn:aws[a-z-]*:events:([a-z0-9-]+):(\d{12}):event-bus\/(.+)$/;

class RequestError extends Error {
  readonly type: string;
  readonly status: number;
  constructor(type: string, message: string, status = 400) {
    super(message);
    this.type = type;
    this.status = status;
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** EventBridge's documented PutEventsRequestEntry size. */
function entrySize(entry: Record<string, unknown>): number {
  const time = entry.Time === undefined || entry.Time === null ? 0 : TIME_FIELD_BYTES;
  const fields = [entry.Source, entry.DetailType, entry.Detail, ...strings(entry.Resources)];
  return fields.reduce<number>((sum, field) => sum + (typeof field === 'string' ? Buffer.byteLength(field, 'utf8') : 0), time);
}

function parseEntries(body: unknown, maxBytes: number): Record<string, unknown>[] {
  const entries = (body as { Entries?: unknown } | null)?.Entries;
  const constraint = (rule: string) => new RequestError('ValidationException', `1 validation error detected: Value at 'entries' failed to satisfy constraint: ${rule}`);
  if (entries === undefined || entries === null) throw constraint('Member must not be null');
  if (!Array.isArray(entries)) throw new RequestError('SerializationException', 'Entries must be a list');
  if (entries.length < 1) throw constraint('Member must have length greater than or equal to 1');
  if (entries.length > MAX_ENTRIES) throw constraint(`Member must have length less than or equal to ${MAX_ENTRIES}`);
  const objects = entries.map((entry: unknown) => (typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {}));
  const total = objects.reduce((sum, entry) => sum + entrySize(entry), 0);
  if (total >= maxBytes) throw new RequestError('ValidationException', 'Total size of the entries in the request is over the limit.');
  return objects;
}

function missingArgument(name: string): ResultEntry {
  return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${name} is not valid. Reason: ${name} is a required argument.` };
}

function parseDetail(detail: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(detail);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** JSON 1.1 sends timestamps as epoch seconds. */
function eventTime(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? isoSeconds(new Date(value * 1000)) : isoSeconds(new Date());
}

function accessKeyIdOf(request: IncomingMessage): string | undefined {
  return /Credential=([^/,\s]+)\//.exec(request.headers.authorization ?? '')?.[1];
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    throw new RequestError('SerializationException', 'The request body is not valid JSON');
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown, requestId: string, errorType?: string): void {
  const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId };
  if (errorType !== undefined) headers['x-amzn-errortype'] = errorType;
  response.writeHead(status, headers);
  response.end(JSON.stringify(body));
}

/** Starts the stand-in on 127.0.0.1 (port 0: any free port), with the "default" bus. */
export async function startEventBridgeStandIn(options: EventBridgeStandInOptions = {}): Promise<EventBridgeStandIn> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  const maxBytes = options.maxRequestEntriesBytes ?? DEFAULT_MAX_REQUEST_ENTRIES_BYTES;
  const busArnPrefix = `arn:aws:events:${region}:${accountId}:event-bus/`;
  const buses = new Map<string, RecordedEvent[]>([[busArnPrefix + 'default', []]]);
  const injected = { remaining: 0, errorCode: '' };

  /** The ARN a bus name (this account) or bus ARN (this region) stands for; undefined if neither. */
  function busArnOf(nameOrArn: string): string | undefined {
    if (!nameOrArn.startsWith('arn:')) return BUS_NAME.test(nameOrArn) ? busArnPrefix + nameOrArn : undefined;
    const [, arnRegion, , name] = BUS_ARN.exec(nameOrArn) ?? [];
    return arnRegion === region && name !== undefined && BUS_NAME.test(name) ? nameOrArn : undefined;
  }

  function takeInjectedFailure(): ResultEntry | undefined {
    if (injected.remaining <= 0) return undefined;
    injected.remaining -= 1;
    return { ErrorCode: injected.errorCode, ErrorMessage: `Failure injected by the stand-in's failNext (${injected.errorCode})` };
  }

  function putEntry(entry: Record<string, unknown>, accessKeyId: string | undefined): ResultEntry {
    const [source, detailType, detailText] = [text(entry.Source), text(entry.DetailType), text(entry.Detail)];
    if (source === undefined) return missingArgument('Source');
    if (detailType === undefined) return missingArgument('DetailType');
    if (detailText === undefined) return missingArgument('Detail');
    const detail = parseDetail(detailText);
    if (detail === undefined) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    const requestedBus = text(entry.EventBusName) ?? 'default';
    const bus = busArnOf(requestedBus);
    if (bus === undefined || !buses.has(bus)) return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${requestedBus} does not exist.` };
    const failure = takeInjectedFailure();
    if (failure !== undefined) return failure;
    buses.get(bus)?.push({ source, detailType, detail, time: eventTime(entry.Time), resources: strings(entry.Resources), accessKeyId });
    return { EventId: randomUUID() };
  }

  async function putEvents(request: IncomingMessage): Promise<{ FailedEntryCount: number; Entries: ResultEntry[] }> {
    const target = request.headers['x-amz-target'];
    if (target !== PUT_EVENTS_TARGET) throw new RequestError('UnknownOperationException', `This stand-in serves ${PUT_EVENTS_TARGET} only, not ${String(target)}`);
    const entries = parseEntries(await readJson(request), maxBytes);
    const accessKeyId = accessKeyIdOf(request);
    const results = entries.map((entry) => putEntry(entry, accessKeyId));
    return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    try {
      sendJson(response, 200, await putEvents(request), requestId);
    } catch (error) {
      const failure = error instanceof RequestError ? error : new RequestError('InternalException', 'The stand-in failed to handle the request', 500);
      sendJson(response, failure.status, { __type: failure.type, message: failure.message }, requestId, failure.type);
    }
  }

  const server = await listenOnLoopback(handle, options.port);
  return {
    endpoint: server.endpoint,
    createBus: (nameOrArn) => {
      const arn = busArnOf(nameOrArn);
      if (arn === undefined) throw new Error(`Not a bus name (1-256 of [.-_A-Za-z0-9]) or a ${region} event-bus ARN: ${JSON.stringify(nameOrArn)}`);
      if (!buses.has(arn)) buses.set(arn, []);
      return arn;
    },
    events: (busNameOrArn) => (buses.get(busArnOf(busNameOrArn) ?? '') ?? []).map((event) => ({ ...event })),
    failNext: (count, errorCode) => {
      injected.remaining = count;
      injected.errorCode = errorCode;
    },
    stop: () => server.stop(),
  };
}
