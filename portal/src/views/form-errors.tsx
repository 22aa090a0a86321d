/**
 * A 422's messages placed under the fields they name (`loc` without its leading "body"), and the rest
 * (or a pointer to those) for an alert above the form's buttons.
 */
import { describeError } from '../api.ts';
import { fieldErrors } from '../sluice-endpoints.ts';

/**
 * `fields`: for each field, the locs whose messages go under it. Returns each field's message and
 * the form-level message (undefined when there is nothing to say).
 */
export function placeErrors<F extends string>(
  error: unknown,
  fields: Record<F, string[]>,
): { field: Record<F, string | undefined>; form: string | undefined } {
  const errors = fieldErrors(error);
  const placed = new Set<string>();
  const field = {} as Record<F, string | undefined>;
  for (const [name, locs] of Object.entries(fields) as [F, string[]][]) {
    const messages = locs.filter((l) => errors.has(l)).map((l) => {
      placed.add(l);
      return errors.get(l)!;
    });
    field[name] = messages.length === 0 ? undefined : messages.join('; ');
  }
  if (error === undefined) return { field, form: undefined };
  const unplaced = [...errors.entries()].filter(([loc]) => !placed.has(loc));
  const form =
    errors.size === 0
      ? describeError(error)
      : unplaced.length > 0
        ? unplaced.map(([loc, msg]) => (loc === '' ? msg : `${loc}: ${msg}`)).join('; ')
        : 'The endpoint was not saved: see the messages under the fields.';
  return { field, form };
}

/** The attributes an input with a message gets: invalid, and described by the message. */
export const invalidProps = (message: string | undefined, id: string) =>
  message === undefined ? {} : { 'aria-invalid': 'true' as const, 'aria-describedby': `${id}-error` };

/** A 422 message under its field; the input names it in aria-describedby. */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message === undefined ? null : (
    <span class="field-error" id={id}>
      {message}
    </span>
  );
}
