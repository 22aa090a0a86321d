/**
 * FilterExpressions for the message and attempt lists. Placeholders are prefixed (`#f…`, `:f…`) so
 * they never clash with the key condition's.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { AttemptFilter, MessageFilter } from '../../core/ports.ts';
import { encode } from './codec.ts';

export interface Filter {
  expression: string;
  names: Record<string, string>;
  values: Record<string, AttributeValue>;
}

/** DynamoDB's IN takes at most 100 operands; longer lists become an OR of several INs. */
const IN_LIMIT = 100;

class FilterBuilder {
  private readonly clauses: string[] = [];
  private readonly names: Record<string, string> = {};
  private readonly values: Record<string, unknown> = {};
  private counter = 0;

  private name(attribute: string): string {
    const placeholder = `#f_${attribute}`;
    this.names[placeholder] = attribute;
    return placeholder;
  }

  private value(value: unknown): string {
    const placeholder = `:f${this.counter++}`;
    this.values[placeholder] = value;
    return placeholder;
  }

  equals(attribute: string, value: string | number | boolean): this {
    this.clauses.push(`${this.name(attribute)} = ${this.value(value)}`);
    return this;
  }

  between(attribute: string, low: number, high: number): this {
    this.clauses.push(`${this.name(attribute)} BETWEEN ${this.value(low)} AND ${this.value(high)}`);
    return this;
  }

  /** The list attribute contains `value` (false when the attribute is null or absent). */
  contains(attribute: string, value: string): this {
    this.clauses.push(`contains(${this.name(attribute)}, ${this.value(value)})`);
    return this;
  }

  oneOf(attribute: string, values: string[]): this {
    const unique = [...new Set(values)];
    if (unique.length === 0) return this;
    const name = this.name(attribute);
    const groups: string[] = [];
    for (let i = 0; i < unique.length; i += IN_LIMIT) {
      const operands = unique.slice(i, i + IN_LIMIT).map((v) => this.value(v));
      groups.push(`${name} IN (${operands.join(', ')})`);
    }
    this.clauses.push(groups.length === 1 ? groups[0]! : `(${groups.join(' OR ')})`);
    return this;
  }

  build(): Filter | undefined {
    if (this.clauses.length === 0) return undefined;
    return { expression: this.clauses.join(' AND '), names: this.names, values: encode(this.values) };
  }
}

export function filterBuilder(): FilterBuilder {
  return new FilterBuilder();
}

function addMessageFields(builder: FilterBuilder, filter: MessageFilter): FilterBuilder {
  if (filter.channel !== undefined) builder.contains('channels', filter.channel);
  if (filter.tag !== undefined) builder.contains('tags', filter.tag);
  if (filter.eventTypes !== undefined) builder.oneOf('eventType', filter.eventTypes);
  return builder;
}

export function messageFilter(filter: MessageFilter): Filter | undefined {
  return addMessageFields(filterBuilder(), filter).build();
}

/** statusCodeClass c selects responseStatusCode in [c·100, c·100+99]; 0 selects "no response" (0). */
export function attemptFilter(filter: AttemptFilter): Filter | undefined {
  const builder = addMessageFields(filterBuilder(), filter);
  if (filter.status !== undefined) builder.equals('status', filter.status);
  if (filter.statusCodeClass !== undefined) {
    const c = filter.statusCodeClass;
    if (c === 0) builder.equals('responseStatusCode', 0);
    else builder.between('responseStatusCode', c * 100, c * 100 + 99);
  }
  if (filter.endpointId !== undefined) builder.equals('endpointId', filter.endpointId);
  return builder.build();
}
