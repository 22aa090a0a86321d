/**
 * EventBridge's `wildcard` operator: `*` stands for any run of characters (none included), `\*` is a
 * literal star and `\\` a literal backslash; any other escape, a trailing backslash and two stars in a
 * row are invalid (as EventBridge says). No regular expression is built: a pattern is its literal
 * segments between stars, and a value matches when the first segment starts it, the last one ends it
 * and the others occur in order in between. For star-only patterns the leftmost occurrence of each
 * middle segment is always a safe choice, so one left-to-right scan with Knuth-Morris-Pratt decides
 * the match in time linear in value plus pattern: no backtracking, whatever the input.
 */
import type { Meter } from './meter.ts';

export interface WildcardPattern {
  /** The literal text around the stars: `a*b*c` → ['a', 'b', 'c']; no star → one segment. */
  segments: string[];
  /** The KMP failure table of each middle segment (index 1 … length - 2). */
  tables: Int32Array[];
}

/** Parses `text`; a string is the reason it is invalid. */
export function parseWildcard(text: string): WildcardPattern | string {
  const segments: string[] = [];
  let current = '';
  let previousWasStar = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      const next = text[i + 1];
      if (next !== '*' && next !== '\\') return 'a backslash may only escape "*" or "\\"';
      current += next;
      i++;
      previousWasStar = false;
    } else if (c === '*') {
      if (previousWasStar) return 'consecutive wildcard characters are not allowed';
      segments.push(current);
      current = '';
      previousWasStar = true;
    } else {
      current += c;
      previousWasStar = false;
    }
  }
  segments.push(current);
  const tables = segments.map((segment, i) => (i > 0 && i < segments.length - 1 ? failureTable(segment) : new Int32Array(0)));
  return { segments, tables };
}

function failureTable(segment: string): Int32Array {
  const table = new Int32Array(segment.length);
  let k = 0;
  for (let i = 1; i < segment.length; i++) {
    while (k > 0 && segment[i] !== segment[k]) k = table[k - 1]!;
    if (segment[i] === segment[k]) k++;
    table[i] = k;
  }
  return table;
}

/** The index just past the first occurrence of `segment` in value[from, to), or -1 (KMP). */
function findEnd(value: string, segment: string, table: Int32Array, from: number, to: number, meter: Meter | undefined): number {
  if (segment.length === 0) return from;
  let k = 0;
  for (let i = from; i < to; i++) {
    if (meter !== undefined) meter.steps++;
    while (k > 0 && value[i] !== segment[k]) k = table[k - 1]!;
    if (value[i] === segment[k]) k++;
    if (k === segment.length) return i + 1;
  }
  return -1;
}

export function matchesWildcard(pattern: WildcardPattern, value: string, meter?: Meter): boolean {
  const { segments, tables } = pattern;
  const first = segments[0]!;
  if (meter !== undefined) meter.steps += first.length + 1;
  if (segments.length === 1) return value === first;
  const last = segments[segments.length - 1]!;
  if (value.length < first.length + last.length || !value.startsWith(first) || !value.endsWith(last)) return false;
  if (meter !== undefined) meter.steps += last.length;
  let position = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const next = findEnd(value, segments[i]!, tables[i]!, position, end, meter);
    if (next === -1) return false;
    position = next;
  }
  return true;
}
