/**
 * A payload filter once validated: the shape evaluation walks (./evaluate.ts). Exact values sit in
 * sets, so a field with many allowed values costs one lookup per event value, not one per value.
 */
import type { Meter } from './meter.ts';

/** A leaf of the event: what a condition is tested against. */
export type Scalar = string | number | boolean | null;

/** One operator (`prefix`, `numeric`, `anything-but`, …) as a test of one event value. */
export type ValueTest = (value: Scalar, meter: Meter | undefined) => boolean;

/** A field whose pattern is an array: it matches when any condition matches any of the field's values. */
export interface LeafCondition {
  strings: Set<string>;
  numbers: Set<number>;
  /** `true`, `false` and `null` listed as exact values. */
  literals: Set<boolean | null>;
  tests: ValueTest[];
  /** `{"exists": true}`: the field has at least one leaf value (null counts; an object does not). */
  existsTrue: boolean;
  /** `{"exists": false}`: the field has no leaf value (absent, an object, an empty array). */
  existsFalse: boolean;
}

export interface FieldCondition {
  key: string;
  /** Exactly one of the two. */
  leaf?: LeafCondition;
  object?: ObjectCondition;
}

/** Every field must match, and every `$or` group must have a branch that matches the same object. */
export interface ObjectCondition {
  fields: FieldCondition[];
  ors: ObjectCondition[][];
}

export type CompiledFilter = ObjectCondition;

export const emptyLeafCondition = (): LeafCondition => ({
  strings: new Set(),
  numbers: new Set(),
  literals: new Set(),
  tests: [],
  existsTrue: false,
  existsFalse: false,
});
