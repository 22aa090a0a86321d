/**
 * AWS-native destinations (an SQS queue, an SNS topic or an EventBridge bus in the customer's account):
 * the one permission they need on Sluice's side. The delivery function assumes the role the customer
 * named on the endpoint (with the endpoint's ExternalId) and sends with those credentials, so
 * sqs:SendMessage, sns:Publish and events:PutEvents are the customer's role's to grant, never Sluice's.
 *
 * What Sluice's role gets is sts:AssumeRole on any account's roles but its own. The customer's trust
 * policy (this role's ARN as principal, the endpoint's external id as condition) is what authorises an
 * assumption; the aws:ResourceAccount condition is the confused-deputy guard: an API caller who names a
 * role of Sluice's own account, one that trusts the account root, say, gets AccessDenied, because this
 * policy never allows it. No sts:TagSession: sessions carry no tags, so no customer trust policy
 * needs to allow them.
 *
 * Egress: the functions run outside any VPC (Lambda's own network), so STS and the customers' regional
 * SQS, SNS and EventBridge endpoints are reachable like the HTTP endpoints are. A deployment that moves
 * delivery into a VPC must give it egress to those public endpoints (a NAT gateway; an interface
 * endpoint in Sluice's VPC reaches the customer's queue too, but only within the same region).
 */
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { acknowledge } from './nag.ts';
import type { SluiceFunction } from './sluice-function.ts';

/**
 * Any role of any account, in this stack's partition (a role of another partition cannot be assumed
 * anyway). Spelled the way cdk-nag reports it in acknowledgements.
 */
const ANY_ROLE_NAG = 'arn:<AWS::Partition>:iam::*:role/*';

/**
 * Lets `delivery` assume customers' destination roles (never its own account's), and returns the
 * principal that customers trust: the function's execution role's ARN (the stack's
 * DestinationPrincipalArn output). The ARN stays the same across deploys as long as the role's
 * construct path does; renaming the Workers or Delivery construct would replace the role, and every
 * customer's trust policy would then name a principal that no longer exists.
 */
export function grantDestinationAccess(delivery: SluiceFunction): string {
  delivery.role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['sts:AssumeRole'],
      resources: [`arn:${Aws.PARTITION}:iam::*:role/*`],
      conditions: { StringNotEquals: { 'aws:ResourceAccount': Aws.ACCOUNT_ID } },
    }),
  );
  acknowledge(
    delivery.role,
    `AwsSolutions-IAM5[Resource::${ANY_ROLE_NAG}]`,
    'AWS-native destinations: the roles are the customers\', named per endpoint at runtime, so no ARN is known at deploy. Each customer\'s trust policy (this role as principal, the endpoint\'s external id) is what authorises an assumption; roles of Sluice\'s own account are excluded by the aws:ResourceAccount condition, and sts:AssumeRole is the only action.',
  );
  return delivery.role.roleArn;
}
