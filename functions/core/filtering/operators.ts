/**
 * The operators a field's array may hold, each parsed into a test of one event value. Semantics are
 * EventBridge's: prefix, suffix, equals-ignore-case, wildcard, numeric and cidr only ever match
 * strings (numbers for `numeric`); `anything-but` matches any value its inner condition does not
 * match (a value of another type included), but, like every condition except `exists: false`, only
 * when the field has a value at all.
 */
import { inSubnet, parseIp, parseSubnet } from '../network/ip.ts';
import type { LeafCondition, Scalar, ValueTest } from './conditions.ts';
import { FILTER_LIMITS } from './limits.ts';
import type { Meter } from './meter.ts';
import { matchesWildcard, parseWildcard } from './wildcard.ts';

export type Path = (string | number)[];

/** Where parsing reports problems and counts what the limits bound. */
export interface ParseContext {
  issue(path: Path, msg: string): void;
  /** Counts one leaf condition (false once over the limit: the caller stops). */
  condition(path: Path): boolean;
}

export const OPERATORS = ['prefix', 'suffix', 'equals-ignore-case', 'wildcard', 'anything-but', 'numeric', 'exists', 'cidr'] as const;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const step = (meter: Meter | undefined, n: number): void => {
  if (meter !== undefined) meter.steps += n;
};

/**
 * Numbers are stored in DynamoDB with the endpoint, which holds magnitudes from 1e-130 to 1e126:
 * anything else could never be saved, so it is refused here.
 */
export function storableNumber(value: number): boolean {
  const magnitude = Math.abs(value);
  return Number.isFinite(value) && (magnitude === 0 || (magnitude >= 1e-130 && magnitude < 1e126));
}

const foldCase = (text: string): string => text.toLowerCase();

function stringTest(kind: 'prefix' | 'suffix', value: unknown, path: Path, ctx: ParseContext): ValueTest | undefined {
  if (typeof value === 'string') {
    return kind === 'prefix'
      ? (v, meter) => typeof v === 'string' && (step(meter, value.length), v.startsWith(value))
      : (v, meter) => typeof v === 'string' && (step(meter, value.length), v.endsWith(value));
  }
  if (isPlainObject(value) && Object.keys(value).length === 1 && typeof value['equals-ignore-case'] === 'string') {
    const folded = foldCase(value['equals-ignore-case']);
    const n = value['equals-ignore-case'].length;
    return (v, meter) => {
      if (typeof v !== 'string' || v.length < n) return false;
      step(meter, n);
      return foldCase(kind === 'prefix' ? v.slice(0, n) : v.slice(v.length - n)) === folded;
    };
  }
  ctx.issue(path, `${kind} takes a string, or {"equals-ignore-case": string}`);
  return undefined;
}

function equalsIgnoreCase(value: string): ValueTest {
  const folded = foldCase(value);
  return (v, meter) => typeof v === 'string' && v.length === value.length && (step(meter, v.length), foldCase(v) === folded);
}

function wildcard(value: unknown, path: Path, ctx: ParseContext): ValueTest | undefined {
  if (typeof value !== 'string') return void ctx.issue(path, 'wildcard takes a string');
  const pattern = parseWildcard(value);
  if (typeof pattern === 'string') return void ctx.issue(path, pattern);
  return (v, meter) => typeof v === 'string' && matchesWildcard(pattern, v, meter);
}

const NUMERIC_OPERATORS = new Set(['=', '<', '<=', '>', '>=']);

/** `[op, n]` or `[lower-op, n, upper-op, m]`; `=` stands alone; bounds within ±5e9 (EventBridge's range). */
function numeric(value: unknown, path: Path, ctx: ParseContext): ValueTest | undefined {
  const shape = 'numeric takes ["<op>", number] or [">"|">=", number, "<"|"<=", number]; <op> is one of =, <, <=, >, >=';
  if (!Array.isArray(value) || (value.length !== 2 && value.length !== 4)) return void ctx.issue(path, shape);
  const pairs: [string, number][] = [];
  for (let i = 0; i < value.length; i += 2) {
    const op = value[i] as unknown;
    const bound = value[i + 1] as unknown;
    if (typeof op !== 'string' || !NUMERIC_OPERATORS.has(op)) return void ctx.issue([...path, i], shape);
    if (typeof bound !== 'number' || !Number.isFinite(bound)) return void ctx.issue([...path, i + 1], 'must be a number');
    if (Math.abs(bound) > FILTER_LIMITS.numericBound) return void ctx.issue([...path, i + 1], 'numeric bounds must be between -5e9 and 5e9');
    pairs.push([op, bound]);
  }
  const lower = pairs.find(([op]) => op === '>' || op === '>=');
  const upper = pairs.find(([op]) => op === '<' || op === '<=');
  if (pairs.length === 2) {
    if (lower === undefined || upper === undefined) return void ctx.issue(path, 'a range needs one lower bound (> or >=) and one upper bound (< or <=)');
    if (lower[1] > upper[1]) return void ctx.issue(path, 'the lower bound must not exceed the upper bound');
  }
  const equals = pairs.find(([op]) => op === '=');
  if (equals !== undefined) return (v) => typeof v === 'number' && v === equals[1];
  return (v) =>
    typeof v === 'number' &&
    (lower === undefined || (lower[0] === '>' ? v > lower[1] : v >= lower[1])) &&
    (upper === undefined || (upper[0] === '<' ? v < upper[1] : v <= upper[1]));
}

function cidr(value: unknown, path: Path, ctx: ParseContext): ValueTest | undefined {
  const subnet = typeof value === 'string' ? parseSubnet(value) : undefined;
  if (subnet === undefined) return void ctx.issue(path, 'cidr takes an IPv4 or IPv6 block, e.g. "10.0.0.0/24"');
  return (v) => {
    // Bounded before parsing: the parser then costs a constant, whatever the payload holds.
    if (typeof v !== 'string' || v.length > FILTER_LIMITS.ipTextLength) return false;
    const ip = parseIp(v);
    return ip !== undefined && inSubnet(ip, subnet);
  };
}

/** A list (or one value) of all strings or all numbers, for anything-but. */
function anythingButValues(value: unknown, path: Path, ctx: ParseContext): ValueTest | undefined {
  const values = Array.isArray(value) ? value : [value];
  const listShape = 'anything-but takes a string, a number, a non-empty list of only strings or only numbers, or {prefix | suffix | equals-ignore-case | wildcard}';
  if (values.length === 0) return void ctx.issue(path, listShape);
  const allStrings = values.every((v) => typeof v === 'string');
  const allNumbers = values.every((v) => typeof v === 'number');
  if (!allStrings && !allNumbers) return void ctx.issue(path, listShape);
  for (let i = 0; i < values.length; i++) {
    if (!ctx.condition(path)) return undefined;
    if (allNumbers && !storableNumber(values[i] as number)) return void ctx.issue(Array.isArray(value) ? [...path, i] : path, 'must be a finite number');
  }
  const excluded = new Set<Scalar>(values as Scalar[]);
  return (v) => !excluded.has(v);
}

function stringList(value: unknown): string[] | undefined {
  const values = Array.isArray(value) ? value : [value];
  return values.length > 0 && values.every((v) => typeof v === 'string') ? (values as string[]) : undefined;
}

function anythingBut(value: unknown, path: Path, ctx: ParseContext): ValueTest | undefined {
  if (!isPlainObject(value)) return anythingButValues(value, path, ctx);
  const keys = Object.keys(value);
  const key = keys[0];
  if (keys.length !== 1 || (key !== 'prefix' && key !== 'suffix' && key !== 'equals-ignore-case' && key !== 'wildcard')) {
    return void ctx.issue(path, 'anything-but takes one of prefix, suffix, equals-ignore-case or wildcard as an object');
  }
  const inner = value[key];
  const innerPath = [...path, key];
  let tests: ValueTest[];
  if (key === 'prefix' || key === 'suffix') {
    if (typeof inner !== 'string') return void ctx.issue(innerPath, `${key} takes a string here`);
    const test = stringTest(key, inner, innerPath, ctx);
    tests = test === undefined ? [] : [test];
  } else {
    const list = stringList(inner);
    if (list === undefined) return void ctx.issue(innerPath, `${key} takes a string or a non-empty list of strings here`);
    tests = [];
    for (const [i, text] of list.entries()) {
      if (i > 0 && !ctx.condition(path)) return undefined;
      const test = key === 'wildcard' ? wildcard(text, Array.isArray(inner) ? [...innerPath, i] : innerPath, ctx) : equalsIgnoreCase(text);
      if (test === undefined) return undefined;
      tests.push(test);
    }
  }
  if (tests.length === 0) return undefined;
  return (v, meter) => !tests.some((test) => test(v, meter));
}

/** Adds the operator `{name: value}` found at `path` to `leaf`. */
export function addOperator(leaf: LeafCondition, name: string, value: unknown, path: Path, ctx: ParseContext): void {
  let test: ValueTest | undefined;
  switch (name) {
    case 'prefix':
    case 'suffix':
      test = stringTest(name, value, path, ctx);
      break;
    case 'equals-ignore-case':
      if (typeof value === 'string') test = equalsIgnoreCase(value);
      else ctx.issue(path, 'equals-ignore-case takes a string');
      break;
    case 'wildcard':
      test = wildcard(value, path, ctx);
      break;
    case 'anything-but':
      test = anythingBut(value, path, ctx);
      break;
    case 'numeric':
      test = numeric(value, path, ctx);
      break;
    case 'cidr':
      test = cidr(value, path, ctx);
      break;
    case 'exists':
      if (value === true) leaf.existsTrue = true;
      else if (value === false) leaf.existsFalse = true;
      else ctx.issue(path, 'exists takes true or false');
      return;
    default:
      ctx.issue(path, `unknown operator "${name}"; expected one of ${OPERATORS.join(', ')}`);
      return;
  }
  if (test !== undefined) leaf.tests.push(test);
}
