/**
 * cdk-nag (AwsSolutions pack) acknowledgements. Each call sits next to the resource it concerns,
 * with the reason; this module only spells the id the way cdk-nag v3 (CDK's Validations API) matches
 * it. test/infra/security-cdk-nag.test.ts synthesizes the stack with the pack and fails on any finding
 * left unacknowledged.
 */
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** `rule`: e.g. 'AwsSolutions-APIG2', or one finding of a rule: 'AwsSolutions-IAM5[Resource::*]'. */
export function acknowledge(scope: IConstruct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions::${rule}`, reason });
}
