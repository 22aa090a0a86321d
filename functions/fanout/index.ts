/** Lambda entry of the fan-out function: built once per cold start, then reused by every invocation. */
import { fanoutEntry } from './entry.ts';

export const handler = fanoutEntry();
