/**
 * SDK exceptions → domain errors. A failed condition (a plain ConditionalCheckFailedException, or a
 * TransactionCanceledException whose reasons include ConditionalCheckFailed) means "already exists"
 * or "changed under us", which the domain calls a conflict. Anything else passes through unchanged.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';

/** The cancellation code of each transaction item (undefined = not a cancelled transaction). */
export function cancellationCodes(error: unknown): (string | undefined)[] | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  return (error.CancellationReasons ?? []).map((reason) => reason.Code);
}

export function isConditionFailure(error: unknown): boolean {
  if (error instanceof ConditionalCheckFailedException) return true;
  return cancellationCodes(error)?.includes('ConditionalCheckFailed') ?? false;
}

/** Awaits `operation`; a failed condition becomes `toError(error)`, other errors are rethrown. */
export async function onConditionFailure<T>(operation: Promise<T>, toError: (error: unknown) => Error): Promise<T> {
  try {
    return await operation;
  } catch (error) {
    if (isConditionFailure(error)) throw toError(error);
    throw error;
  }
}

/** True if the transaction item at `index` failed its condition. */
export function conditionFailedAt(error: unknown, index: number): boolean {
  return cancellationCodes(error)?.[index] === 'ConditionalCheckFailed';
}

/** Awaits `operation`, treating a failed condition as "nothing to do". */
export async function ignoreConditionFailure(operation: Promise<unknown>): Promise<void> {
  try {
    await operation;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}
