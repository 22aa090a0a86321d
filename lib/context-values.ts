/** CDK context values (`-c key=value` or cdk.json), read and type-checked at synth. */
import type { Node } from 'constructs';

export type ContextReader = Pick<Node, 'tryGetContext'>;

/** Context values arrive as strings from `-c`, or typed from cdk.json; accept both. */
export function text(node: ContextReader, key: string): string | undefined {
  const v: unknown = node.tryGetContext(key);
  if (v === undefined || v === null || v === '') return undefined;
  return Array.isArray(v) ? v.join(',') : String(v);
}

export function bool(node: ContextReader, key: string): boolean | undefined {
  const v = text(node, key);
  if (v === undefined) return undefined;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new Error(`context ${key} must be true or false, got "${v}"`);
}

export function int(node: ContextReader, key: string): number | undefined {
  const v = text(node, key);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`context ${key} must be a whole number, got "${v}"`);
  return n;
}

export function num(node: ContextReader, key: string): number | undefined {
  const v = text(node, key);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`context ${key} must be a number, got "${v}"`);
  return n;
}
