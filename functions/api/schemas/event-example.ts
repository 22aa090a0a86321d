/** EventExampleIn: `{eventType, exampleIndex?}` (exampleIndex defaults to the first example). */
import * as z from 'zod/mini';
import { name } from './common.ts';
import { parseOrThrow } from './issues.ts';

export const EventExampleInSchema = z.object({
  eventType: name,
  exampleIndex: z.optional(z.nullable(z.int().check(z.gte(0)))),
});

export function parseEventExampleIn(body: unknown): { eventType: string; exampleIndex: number } {
  const b = parseOrThrow(EventExampleInSchema, body);
  return { eventType: b.eventType, exampleIndex: b.exampleIndex ?? 0 };
}
