/** The DynamoDB capacity settings (`-c capacity=…`), read from CDK context and validated at synth (lib/storage.ts applies them). */
import { int, text, type ContextReader } from './context-values.ts';

/**
 * DynamoDB capacity: `on-demand` (default: bursty traffic, nothing billed while idle) or
 * `provisioned` with auto scaling between the bounds, at a target utilisation (steady traffic: a
 * provisioned write unit used at 70 % costs ~40 % of the same writes on demand; bench/ prices both).
 */
export type TableCapacity =
  | { readonly mode: 'on-demand' }
  | {
      readonly mode: 'provisioned';
      readonly read: { readonly min: number; readonly max: number };
      readonly write: { readonly min: number; readonly max: number };
      /** Percent of provisioned capacity auto scaling keeps in use. */
      readonly targetUtilization: number;
    };

export const DEFAULT_PROVISIONED = { read: { min: 5, max: 500 }, write: { min: 5, max: 1000 }, targetUtilization: 70 } as const;

/** `"5-500"` → {min: 5, max: 500}. */
function capacityRange(node: ContextReader, key: string, fallback: { min: number; max: number }): { min: number; max: number } {
  const v = text(node, key);
  if (v === undefined) return fallback;
  const m = /^(\d+)-(\d+)$/.exec(v);
  const range = m === null ? undefined : { min: Number(m[1]), max: Number(m[2]) };
  if (range === undefined || range.min < 1 || range.max < range.min || range.max > 40_000) {
    throw new Error(`context ${key} must be min-max capacity units (1 ≤ min ≤ max ≤ 40000), e.g. 5-500, got "${v}"`);
  }
  return range;
}

export function tableCapacity(node: ContextReader): TableCapacity {
  const mode = text(node, 'capacity') ?? 'on-demand';
  if (mode === 'on-demand') return { mode };
  if (mode !== 'provisioned') throw new Error(`capacity must be on-demand or provisioned, got "${mode}"`);
  const target = int(node, 'capacityTargetUtilization') ?? DEFAULT_PROVISIONED.targetUtilization;
  if (target < 20 || target > 90) throw new Error(`capacityTargetUtilization must be a percentage from 20 to 90, got ${target}`);
  return {
    mode,
    read: capacityRange(node, 'readCapacity', DEFAULT_PROVISIONED.read),
    write: capacityRange(node, 'writeCapacity', DEFAULT_PROVISIONED.write),
    targetUtilization: target,
  };
}
