/**
 * The bounds that keep a payload filter cheap to store, validate and evaluate. A filter over any of
 * them is refused at create/update (422), so the fan-out only ever evaluates bounded filters.
 */
export const FILTER_LIMITS = {
  /** Characters of the filter's compact JSON (EventBridge's own pattern quota is 2,048 by default, 4,096 at most). */
  serializedChars: 4096,
  /** Nested pattern objects, the filter itself counted as 1 (`{payload: {a: {b: …}}}` is 3; a `$or` branch is one more). */
  depth: 10,
  /** Leaf conditions: every value or operator in a field's array (and every value of an anything-but list). */
  conditions: 100,
  /** `$or` branches in the whole filter. */
  orBranches: 32,
  /** Validation stops after this many problems: enough to fix a filter, not a way to make the API work. */
  issues: 20,
  /** Nesting of arrays inside the payload that evaluation looks into (deeper elements are not seen). */
  payloadArrayNesting: 8,
  /** EventBridge's documented range for `numeric` bounds. */
  numericBound: 5e9,
  /** A `cidr` condition looks at strings up to this long (the longest IPv6 text with a zone fits). */
  ipTextLength: 64,
} as const;
