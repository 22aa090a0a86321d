/**
 * The single DynamoDB table (key layout in functions/shared/names.ts TABLE, used the same way by
 * local/resources.ts). On-demand billing: webhook traffic is bursty and a self-hosted install should
 * cost nothing while idle.
 */
import { RemovalPolicy, Stack, type CfnElement } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLE } from '../functions/shared/names.ts';
import { acknowledge } from './nag.ts';

export interface StorageProps {
  /** Default RETAIN: deleting the stack must not delete the customers' data. */
  readonly removalPolicy?: RemovalPolicy;
}

export class Storage extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: StorageProps = {}) {
    super(scope, id);
    const str = dynamodb.AttributeType.STRING;
    // No physical tableName: a retained table would otherwise block redeploying a stack of the same
    // name. The functions get the generated name through ENV.tableName.
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE.partitionKey, type: str },
      sortKey: { name: TABLE.sortKey, type: str },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE.ttlAttribute,
      // The aws/dynamodb key: auditable in CloudTrail, no key to manage, and no kms:* grants needed
      // because DynamoDB uses the key on the caller's behalf. A customer-managed key can come later.
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: TABLE.gsi1.name,
      partitionKey: { name: TABLE.gsi1.partitionKey, type: str },
      sortKey: { name: TABLE.gsi1.sortKey, type: str },
      projectionType: dynamodb.ProjectionType.ALL,
    });
    // cdk-nag IAM5: table.grantRead*Data grants Query on `<table ARN>/index/*`. The table has one index,
    // gsi1 (attempts by message, app tokens by app), that the functions must Query; the wildcard can only
    // match indexes of this one table, so it grants nothing beyond it. Acknowledged for this exact finding.
    const tableArn = `<${Stack.of(this).getLogicalId(this.table.node.defaultChild as CfnElement)}.Arn>`;
    acknowledge(
      Stack.of(this),
      `AwsSolutions-IAM5[Resource::${tableArn}/index/*]`,
      'Query on the table\'s own secondary index (gsi1); the wildcard matches only indexes of this table.',
    );
  }
}
