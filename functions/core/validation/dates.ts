/**
 * Dates from clients (`since`, `until`, `before`, `after`, `deliverAt`). The SDKs send
 * `toISOString()` (JS), `+00:00` offsets and microseconds (Python's isoformat), or no offset at all
 * (a naive Python datetime, which we treat as UTC).
 */
const RFC3339ISH = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|z|[+-]\d{2}:?\d{2})?$/;

/** The instant `text` names, or undefined if it is not an ISO 8601 / RFC 3339 date-time. */
export function parseDateTime(text: string): Date | undefined {
  const m = RFC3339ISH.exec(text.trim());
  if (m === null) return undefined;
  const [, day, time, fraction, zone] = m;
  // JS Date takes at most millisecond precision; drop the rest instead of rejecting it.
  const ms = fraction === undefined ? '' : `.${fraction.slice(0, 3).padEnd(3, '0')}`;
  let offset = zone === undefined || zone === 'z' ? 'Z' : zone;
  if (/^[+-]\d{4}$/.test(offset)) offset = `${offset.slice(0, 3)}:${offset.slice(3)}`;
  const seconds = time!.length === 5 ? `${time}:00` : time;
  const date = new Date(`${day}T${seconds}${ms}${offset}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
