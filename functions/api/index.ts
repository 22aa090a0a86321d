/** Lambda entry of the api function: built once per cold start, then reused by every invocation. */
import { apiEntry } from './entry.ts';

export const handler = await apiEntry();
