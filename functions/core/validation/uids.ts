/** The character rules for uids, eventIds and event-type names (Svix's). */
export const UID_PATTERN = /^[a-zA-Z0-9\-_.]+$/;
export const UID_MAX_LENGTH = 256;

export const isValidUid = (value: string): boolean =>
  value.length >= 1 && value.length <= UID_MAX_LENGTH && UID_PATTERN.test(value);
