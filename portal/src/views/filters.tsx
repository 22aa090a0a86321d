/** The message and attempt log filters: event type, status, channel and a date range. */
import type { MessageStatus } from 'svix';
import { parseLocalDate } from '../ui/format.ts';

export interface LogFilter {
  eventType: string;
  status: string;
  channel: string;
  after: string;
  before: string;
}

export const EMPTY_FILTER: LogFilter = { eventType: '', status: '', channel: '', after: '', before: '' };

/** True when no field of `filter` is set (a cleared filter is a new object, so compare values). */
export const isUnfiltered = (filter: LogFilter): boolean =>
  (Object.keys(EMPTY_FILTER) as (keyof LogFilter)[]).every((field) => filter[field] === '');

/** The filter as svix SDK list options. */
export function toListOptions(f: LogFilter): {
  eventTypes?: string[];
  status?: MessageStatus;
  channel?: string;
  after?: Date;
  before?: Date;
} {
  const after = parseLocalDate(f.after);
  const before = parseLocalDate(f.before);
  return {
    ...(f.eventType === '' ? {} : { eventTypes: [f.eventType] }),
    ...(f.status === '' ? {} : { status: Number(f.status) as MessageStatus }),
    ...(f.channel === '' ? {} : { channel: f.channel }),
    ...(after === undefined ? {} : { after }),
    ...(before === undefined ? {} : { before }),
  };
}

export function FilterBar({ value, onChange, withStatus }: { value: LogFilter; onChange(next: LogFilter): void; withStatus: boolean }) {
  const field = (key: keyof LogFilter) => ({
    value: value[key],
    onChange: (e: Event) => onChange({ ...value, [key]: (e.currentTarget as HTMLInputElement).value.trim() }),
  });
  return (
    <form class="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
      <label>
        Event type
        <input name="filterEventType" placeholder="invoice.paid" {...field('eventType')} />
      </label>
      {withStatus ? (
        <label>
          Status
          <select name="filterStatus" {...field('status')}>
            <option value="">Any</option>
            <option value="0">Succeeded</option>
            <option value="2">Failed</option>
            <option value="1">Pending</option>
            <option value="3">Sending</option>
          </select>
        </label>
      ) : null}
      <label>
        Channel
        <input name="filterChannel" {...field('channel')} />
      </label>
      <label>
        From
        <input name="filterAfter" type="datetime-local" {...field('after')} />
      </label>
      <label>
        Until
        <input name="filterBefore" type="datetime-local" {...field('before')} />
      </label>
    </form>
  );
}
