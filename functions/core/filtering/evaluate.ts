/**
 * Evaluates compiled conditions against a message document, with EventBridge's semantics:
 * - a field's condition array matches when any condition matches any of the field's values; an array
 *   in the event offers each of its elements (nested arrays flattened), so `["a"]` matches `["b", "a"]`;
 * - a pattern object matches an object field, or any object element of an array field (all of its
 *   fields within that same element); a field that holds no object is matched as an empty object, so
 *   `{"exists": false}` deeper down still matches a message without the parent;
 * - every condition but `exists: false` needs the field to have a value; null is a value, an object is not.
 * The walk follows only the filter's keys (at most FILTER_LIMITS.depth deep) and looks into arrays at
 * most FILTER_LIMITS.payloadArrayNesting deep, iteratively: no recursion driven by the payload.
 */
import type { LeafCondition, ObjectCondition, Scalar } from './conditions.ts';
import { FILTER_LIMITS } from './limits.ts';
import type { Meter } from './meter.ts';

const EMPTY: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown): v is Scalar => v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** Calls `visit` on `value`, or on each element of it when it is an array (nested arrays flattened); true once `visit` is. */
function someItem(value: unknown, visit: (item: unknown) => boolean, meter: Meter | undefined): boolean {
  if (!Array.isArray(value)) {
    if (meter !== undefined) meter.steps++;
    return visit(value);
  }
  const stack: { items: unknown[]; next: number }[] = [{ items: value, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next >= top.items.length) {
      stack.pop();
      continue;
    }
    const item = top.items[top.next++];
    if (meter !== undefined) meter.steps++;
    if (Array.isArray(item)) {
      if (stack.length < FILTER_LIMITS.payloadArrayNesting) stack.push({ items: item, next: 0 });
    } else if (visit(item)) {
      return true;
    }
  }
  return false;
}

function valueMatches(leaf: LeafCondition, value: Scalar, meter: Meter | undefined): boolean {
  if (typeof value === 'string' ? leaf.strings.has(value) : typeof value === 'number' ? leaf.numbers.has(value) : leaf.literals.has(value)) {
    return true;
  }
  for (const test of leaf.tests) {
    if (meter !== undefined) meter.steps++;
    if (test(value, meter)) return true;
  }
  return false;
}

function leafMatches(leaf: LeafCondition, field: unknown, meter: Meter | undefined): boolean {
  let hasValue = false;
  const matched = someItem(
    field,
    (item) => {
      if (!isScalar(item)) return false;
      hasValue = true;
      return leaf.existsTrue || valueMatches(leaf, item, meter);
    },
    meter,
  );
  return matched || (leaf.existsFalse && !hasValue);
}

function nestedMatches(condition: ObjectCondition, field: unknown, meter: Meter | undefined): boolean {
  let sawObject = false;
  const matched = someItem(
    field,
    (item) => {
      if (!isPlainObject(item)) return false;
      sawObject = true;
      return objectMatches(condition, item, meter);
    },
    meter,
  );
  return matched || (!sawObject && objectMatches(condition, EMPTY, meter));
}

export function objectMatches(condition: ObjectCondition, object: Record<string, unknown>, meter: Meter | undefined): boolean {
  for (const field of condition.fields) {
    if (meter !== undefined) meter.steps++;
    // Own properties only: a filter on "constructor" or "__proto__" must not see Object.prototype.
    const value = Object.hasOwn(object, field.key) ? object[field.key] : undefined;
    const ok = field.leaf !== undefined ? leafMatches(field.leaf, value, meter) : nestedMatches(field.object!, value, meter);
    if (!ok) return false;
  }
  for (const branches of condition.ors) {
    if (!branches.some((branch) => objectMatches(branch, object, meter))) return false;
  }
  return true;
}
