/**
 * Validates a payload filter and compiles it into conditions (./conditions.ts) in one pass. The work
 * is bounded before anything else: the size check stops as soon as the compact JSON would pass
 * FILTER_LIMITS.serializedChars, so a huge or deep input costs at most that many steps to refuse;
 * what follows walks at most that much JSON, recursing only into pattern objects, at most
 * FILTER_LIMITS.depth deep.
 *
 * The filter addresses the message as `{eventType, channels, tags, payload}`: `eventType`, `channels`
 * and `tags` take a condition array, `payload` a pattern object; other top-level fields are refused
 * (they could never match). `$or` is always the operator (EventBridge also reads it as a field name in
 * some shapes; here a field called `$or` cannot be matched).
 */
import type { ValidationIssue } from '../errors.ts';
import { emptyLeafCondition, type CompiledFilter, type FieldCondition, type LeafCondition, type ObjectCondition } from './conditions.ts';
import { FILTER_LIMITS } from './limits.ts';
import type { Meter } from './meter.ts';
import { addOperator, storableNumber, type ParseContext, type Path } from './operators.ts';

export type FilterIssue = ValidationIssue;

export const MESSAGE_FIELDS = ['eventType', 'channels', 'tags', 'payload'] as const;
const ISSUE_TYPE = 'value_error.filter';

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True when `root`'s compact JSON has at most `max` characters; stops (false) as soon as it has more. */
export function fitsSerializedSize(root: unknown, max: number, meter?: Meter): boolean {
  let size = 0;
  const stack: unknown[] = [root];
  const add = (n: number): boolean => (size += n) <= max;
  const addString = (s: string): boolean => s.length <= max && add(JSON.stringify(s).length);
  while (stack.length > 0) {
    const value = stack.pop();
    if (meter !== undefined) meter.steps++;
    if (value === null || value === true) {
      if (!add(4)) return false;
    } else if (value === false) {
      if (!add(5)) return false;
    } else if (typeof value === 'number') {
      if (!add(String(value).length)) return false;
    } else if (typeof value === 'string') {
      if (!addString(value)) return false;
    } else if (Array.isArray(value)) {
      if (!add(2 + Math.max(0, value.length - 1))) return false;
      for (let i = value.length - 1; i >= 0; i--) stack.push(value[i]);
    } else if (typeof value === 'object') {
      if (!add(1)) return false;
      // for…in stops early: a object with a million keys costs only as many steps as fit the budget.
      for (const key in value) {
        if (!Object.hasOwn(value, key)) continue;
        if (meter !== undefined) meter.steps++;
        if (!addString(key) || !add(2)) return false;
        stack.push((value as Record<string, unknown>)[key]);
      }
    } else {
      return false; // not JSON (undefined, a function…): only a caller bug passes one
    }
  }
  return true;
}

class Parser implements ParseContext {
  readonly issues: FilterIssue[] = [];
  private conditions = 0;
  private orBranches = 0;
  private tooDeep = false;
  private readonly meter: Meter | undefined;

  constructor(meter: Meter | undefined) {
    this.meter = meter;
  }

  get full(): boolean {
    return this.issues.length >= FILTER_LIMITS.issues;
  }

  issue(path: Path, msg: string): void {
    if (!this.full) this.issues.push({ loc: path, msg, type: ISSUE_TYPE });
  }

  condition(path: Path): boolean {
    if (this.meter !== undefined) this.meter.steps++;
    if (++this.conditions <= FILTER_LIMITS.conditions) return true;
    if (this.conditions === FILTER_LIMITS.conditions + 1) this.issue(path, `a filter may hold at most ${FILTER_LIMITS.conditions} conditions`);
    return false;
  }

  object(value: unknown, path: Path, depth: number, root: boolean): ObjectCondition | undefined {
    if (this.meter !== undefined) this.meter.steps++;
    if (!isPlainObject(value)) return void this.issue(path, 'must be an object');
    if (depth > FILTER_LIMITS.depth) {
      // Once is enough: every sibling of a too-deep object is as deep.
      if (!this.tooDeep) this.issue(path, `a filter may nest at most ${FILTER_LIMITS.depth} objects deep`);
      this.tooDeep = true;
      return undefined;
    }
    const keys = Object.keys(value);
    if (keys.length === 0) return void this.issue(path, 'must hold at least one field');
    const condition: ObjectCondition = { fields: [], ors: [] };
    for (const key of keys) {
      if (this.full) break;
      const here = [...path, key];
      const field = value[key];
      if (key === '$or') {
        const branches = this.or(field, here, depth, root);
        if (branches !== undefined) condition.ors.push(branches);
      } else if (key === '') {
        this.issue(here, 'field names must not be empty');
      } else if (root && !(MESSAGE_FIELDS as readonly string[]).includes(key)) {
        this.issue(here, `unknown message field; a filter matches ${MESSAGE_FIELDS.join(', ')}`);
      } else if (root && key === 'payload') {
        const nested = this.object(field, here, depth + 1, false);
        if (nested !== undefined) condition.fields.push({ key, object: nested });
      } else if (Array.isArray(field)) {
        const leaf = this.leaf(field, here);
        if (leaf !== undefined) condition.fields.push({ key, leaf });
      } else if (!root && isPlainObject(field)) {
        const nested = this.object(field, here, depth + 1, false);
        if (nested !== undefined) condition.fields.push({ key, object: nested } satisfies FieldCondition);
      } else {
        this.issue(here, root ? 'must be an array of values or conditions' : 'must be an array of values or conditions, or an object');
      }
    }
    return condition;
  }

  private or(value: unknown, path: Path, depth: number, root: boolean): ObjectCondition[] | undefined {
    if (!Array.isArray(value) || value.length < 2) return void this.issue(path, '$or takes an array of at least two objects');
    const branches: ObjectCondition[] = [];
    for (let i = 0; i < value.length && !this.full; i++) {
      if (++this.orBranches > FILTER_LIMITS.orBranches) return void this.issue(path, `a filter may hold at most ${FILTER_LIMITS.orBranches} $or branches`);
      const branch = this.object(value[i], [...path, i], depth + 1, root);
      if (branch !== undefined) branches.push(branch);
    }
    return branches;
  }

  private leaf(values: unknown[], path: Path): LeafCondition | undefined {
    if (values.length === 0) return void this.issue(path, 'must hold at least one value or condition');
    const leaf = emptyLeafCondition();
    for (let i = 0; i < values.length && !this.full; i++) {
      const here = [...path, i];
      if (!this.condition(here)) return undefined;
      const value = values[i];
      if (typeof value === 'string') leaf.strings.add(value);
      else if (typeof value === 'number') {
        if (storableNumber(value)) leaf.numbers.add(value);
        else this.issue(here, 'numbers must be finite, 0 or between 1e-130 and 1e126 in magnitude');
      } else if (value === null || typeof value === 'boolean') leaf.literals.add(value);
      else if (isPlainObject(value)) {
        const names = Object.keys(value);
        if (names.length !== 1) this.issue(here, 'a condition object holds exactly one operator');
        else addOperator(leaf, names[0]!, value[names[0]!], [...here, names[0]!], this);
      } else this.issue(here, 'must be a string, number, boolean, null or a condition object');
    }
    return leaf;
  }
}

export type CompileResult = { filter: CompiledFilter; issues: [] } | { filter: undefined; issues: FilterIssue[] };

/** Validates `raw` (locations relative to the filter) and, when it is valid, compiles it. */
export function compileFilter(raw: unknown, meter?: Meter): CompileResult {
  if (!fitsSerializedSize(raw, FILTER_LIMITS.serializedChars, meter)) {
    return { filter: undefined, issues: [{ loc: [], msg: `a filter may be at most ${FILTER_LIMITS.serializedChars} characters of JSON`, type: ISSUE_TYPE }] };
  }
  const parser = new Parser(meter);
  const filter = parser.object(raw, [], 1, true);
  if (parser.issues.length > 0 || filter === undefined) return { filter: undefined, issues: parser.issues };
  return { filter, issues: [] };
}
