/**
 * GET /app/{app}/endpoint/{ep}/stats?since&until: how many of the endpoint's attempts in the window
 * ended in each status, as Svix counts them (attempts, not messages; Svix's worker, like Sluice's,
 * only ever logs success and fail, so pending, sending and canceled are 0 for both).
 *
 * No counter is kept (that would be a write per attempt on the delivery path): each call reads the
 * window of the endpoint's attempt log, newest first, eventually consistent, at most MAX_STATS_PAGES
 * Query pages of ≤ 1 MB: ≤ 1,280 read units per call whatever the endpoint's history, about 20,000
 * attempts of ~0.5 KB. A window holding more is counted over its newest part only.
 * Window (Svix's rules): until defaults to now and may not be in the future; since defaults to until
 * − 28 days and may not be more than 28 days (+5 min of clock slack) before until: 400 invalid_range.
 */
import { BadRequestError } from '../errors.ts';
import { boundaryId } from '../ids.ts';
import { AttemptStatus } from '../model.ts';
import type { Stores } from '../ports.ts';
import { requireEndpoint } from '../endpoints/service.ts';

export const MAX_STATS_PAGES = 10;
const MAX_WINDOW_MS = 28 * 86_400_000 + 5 * 60_000;
/** A client clock a little ahead of ours is not "the future". */
const CLOCK_SLACK_MS = 5_000;

export interface EndpointStats {
  success: number;
  pending: number;
  sending: number;
  fail: number;
  canceled: number;
}

export async function endpointStats(
  stores: Stores,
  appIdOrUid: string,
  endpointIdOrUid: string,
  window: { since?: Date | undefined; until?: Date | undefined },
  now: Date = new Date(),
): Promise<EndpointStats> {
  const until = window.until ?? now;
  if (until.getTime() > now.getTime() + CLOCK_SLACK_MS) throw new BadRequestError("'until' cannot be in the future", 'invalid_range');
  const since = window.since ?? new Date(until.getTime() - 28 * 86_400_000);
  if (until.getTime() - since.getTime() > MAX_WINDOW_MS) {
    throw new BadRequestError(`'since' cannot be more than 28 days prior to ${until.toISOString()}`, 'invalid_range');
  }
  const { app, endpoint } = await requireEndpoint(stores, appIdOrUid, endpointIdOrUid);
  const stats: EndpointStats = { success: 0, pending: 0, sending: 0, fail: 0, canceled: 0 };
  const range = { order: 'descending' as const, lower: boundaryId('attempt', since, 'start'), upper: boundaryId('attempt', until, 'end') };
  let pages = 0;
  for await (const page of stores.attempts.walkByEndpoint(app.id, endpoint.id, range, {})) {
    for (const attempt of page) {
      if (attempt.status === AttemptStatus.Success) stats.success++;
      else if (attempt.status === AttemptStatus.Fail) stats.fail++;
      else if (attempt.status === AttemptStatus.Pending) stats.pending++;
      else if (attempt.status === AttemptStatus.Sending) stats.sending++;
      else stats.canceled++;
    }
    if (++pages >= MAX_STATS_PAGES) break;
  }
  return stats;
}
