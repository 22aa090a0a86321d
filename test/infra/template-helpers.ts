/** Helpers for reading a synthesized Sluice template in assertions. */
import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The feature flags from cdk.json, so tests synthesize what `npm run synth` synthesizes. */
export function cdkJsonContext(): Record<string, unknown> {
  const file = fileURLToPath(new URL('../../cdk.json', import.meta.url));
  return (JSON.parse(readFileSync(file, 'utf8')) as { context: Record<string, unknown> }).context;
}

export function appWithContext(extra: Record<string, unknown> = {}): App {
  return new App({ context: { ...cdkJsonContext(), ...extra } });
}

export function logicalId(construct: IConstruct): string {
  const child = construct.node.defaultChild ?? construct;
  return Stack.of(construct).getLogicalId(child as CfnElement);
}

export interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

const asArray = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

/** Every statement of the IAM policies attached to the function's execution role. */
export function roleStatements(template: Template, fn: lambda.IFunction): Statement[] {
  const roleId = logicalId(fn.role!);
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

/** The actions the function may take on the resource with this logical id (direct or via a sub-path). */
export function allowedActions(template: Template, fn: lambda.IFunction, resourceLogicalId: string): string[] {
  const actions = roleStatements(template, fn)
    .filter((s) => s.Effect === 'Allow')
    .filter((s) => JSON.stringify(s.Resource).includes(`"${resourceLogicalId}"`) || s.Resource === '*')
    .flatMap((s) => asArray(s.Action));
  return [...new Set(actions)].sort();
}
