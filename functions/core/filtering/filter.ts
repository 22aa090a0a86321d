/**
 * Endpoint payload filters: EventBridge event patterns evaluated against a message. The entry points:
 * `validateFilter` (at create/update: problems located inside the filter) and `matchesFilter` (in the
 * fan-out). See README "Payload filters" for the syntax, the limits and the few deliberate differences.
 */
import type { Message } from '../model.ts';
import type { CompiledFilter } from './conditions.ts';
import { compileFilter, type FilterIssue } from './compile.ts';
import { objectMatches } from './evaluate.ts';
import type { Meter } from './meter.ts';

export type { FilterIssue } from './compile.ts';

/** What a filter sees of a message. */
export type FilterableMessage = Pick<Message, 'eventType' | 'channels' | 'tags' | 'payload'>;

/**
 * The document a filter matches: `{eventType, channels, tags, payload}`, where a null field (no
 * channels, no tags, a purged payload) is absent, as EventBridge treats a missing field.
 */
export function filterDocument(message: FilterableMessage): Record<string, unknown> {
  const document: Record<string, unknown> = { eventType: message.eventType };
  if (message.channels !== null) document.channels = message.channels;
  if (message.tags !== null) document.tags = message.tags;
  if (message.payload !== null) document.payload = message.payload;
  return document;
}

/** The problems with `filter`, each located by its path inside the filter; empty when it is valid. */
export function validateFilter(filter: unknown, meter?: Meter): FilterIssue[] {
  return compileFilter(filter, meter).issues;
}

/**
 * Compiled once per filter object: the fan-out reads an app's endpoints once per batch, so every
 * message of the batch reuses the same compilation. Weak: nothing outlives the endpoints read.
 */
const compiled = new WeakMap<object, CompiledFilter | null>();

function compiledOf(filter: object): CompiledFilter | null {
  let entry = compiled.get(filter);
  if (entry === undefined) {
    entry = compileFilter(filter).filter ?? null;
    compiled.set(filter, entry);
  }
  return entry;
}

/**
 * True when `message` passes `filter`. A filter that is not valid (never stored by the API, so only
 * a hand-edited item) lets nothing through: a filter exists to hold messages back, so failing closed
 * is the safer reading.
 */
export function matchesFilter(filter: unknown, message: FilterableMessage, meter?: Meter): boolean {
  if (typeof filter !== 'object' || filter === null) return false;
  const condition = meter === undefined ? compiledOf(filter) : (compileFilter(filter).filter ?? null);
  return condition !== null && objectMatches(condition, filterDocument(message), meter);
}
