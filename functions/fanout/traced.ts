/** Lambda entry of the fan-out function with `-c tracing=true`: the same handler, traced with X-Ray. */
import { createXrayTracer } from '../adapters/tracing/xray.ts';
import { fanoutEntry } from './entry.ts';

export const handler = fanoutEntry(createXrayTracer('sluice-fanout'));
