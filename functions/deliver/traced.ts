/** Lambda entry of the delivery function with `-c tracing=true`: the same handler, traced with X-Ray. */
import { createXrayTracer } from '../adapters/tracing/xray.ts';
import { deliverEntry } from './entry.ts';

export const handler = deliverEntry(createXrayTracer('sluice-deliver'));
