/** Lambda entry of the delivery function: built once per cold start, then reused by every invocation. */
import { deliverEntry } from './entry.ts';

export const handler = deliverEntry();
