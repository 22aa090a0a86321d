/** Lambda entry of the api function with `-c tracing=true`: the same handler, traced with X-Ray. */
import { createXrayTracer } from '../adapters/tracing/xray.ts';
import { apiEntry } from './entry.ts';

export const handler = await apiEntry(createXrayTracer('sluice-api'));
