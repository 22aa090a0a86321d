/** Display helpers shared by the views. */

export const STATUS_TEXT: Record<number, string> = { 0: 'Succeeded', 1: 'Pending', 2: 'Failed', 3: 'Sending', 4: 'Canceled' };
export const TRIGGER_TEXT: Record<number, string> = { 0: 'Scheduled', 1: 'Manual' };

export function formatDate(value: Date | string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

export const statusClass = (status: number): 'ok' | 'bad' | 'wait' => (status === 0 ? 'ok' : status === 2 ? 'bad' : 'wait');

export function prettyJson(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? '';
  } catch {
    return String(value);
  }
}

/** `invoice.paid` → `invoice`; names without a dot group under their own name. */
export const eventGroup = (name: string): string => name.split('.')[0] ?? name;

/** Splits a comma or whitespace separated list typed by a person. */
export const splitList = (text: string): string[] =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** `<input type="datetime-local">` value → Date, or undefined when empty/invalid. */
export function parseLocalDate(value: string): Date | undefined {
  if (value === '') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
