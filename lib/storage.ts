/**
 * The single DynamoDB table (key layout in functions/shared/names.ts TABLE, used the same way by
 * local/resources.ts). On-demand billing by default: webhook traffic is bursty and a self-hosted
 * install should cost nothing while idle. `-c capacity=provisioned` trades that for a lower price per
 * write under steady traffic: provisioned units with target-tracking auto scaling on the table and on
 * gsi1. A burst beyond what auto scaling has caught up with is throttled: the SDK clients retry, a
 * publish that still fails answers 5xx and the Svix SDK retries it, a delivery task comes back after
 * its visibility timeout. Pick it for steady traffic only.
 */
import { RemovalPolicy, Stack, type CfnElement } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLE } from '../functions/shared/names.ts';
import { acknowledge } from './nag.ts';
import type { TableCapacity } from './table-capacity.ts';

export interface StorageProps {
  /** Default on-demand. */
  readonly capacity?: TableCapacity;
  /** Default RETAIN: deleting the stack must not delete the customers' data. */
  readonly removalPolicy?: RemovalPolicy;
}

export class Storage extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: StorageProps = {}) {
    super(scope, id);
    const str = dynamodb.AttributeType.STRING;
    const capacity = props.capacity ?? { mode: 'on-demand' };
    const provisioned = capacity.mode === 'provisioned' ? capacity : undefined;
    // No physical tableName: a retained table would otherwise block redeploying a stack of the same
    // name. The functions get the generated name through ENV.tableName.
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE.partitionKey, type: str },
      sortKey: { name: TABLE.sortKey, type: str },
      billingMode: provisioned === undefined ? dynamodb.BillingMode.PAY_PER_REQUEST : dynamodb.BillingMode.PROVISIONED,
      ...(provisioned === undefined ? {} : { readCapacity: provisioned.read.min, writeCapacity: provisioned.write.min }),
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
      ...(provisioned === undefined ? {} : { readCapacity: provisioned.read.min, writeCapacity: provisioned.write.min }),
    });
    if (provisioned !== undefined) this.autoScale(provisioned);
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

  /** Target tracking on reads and writes of the table and of gsi1 (new attempts no longer write gsi1: its floor suffices). */
  private autoScale(capacity: Extract<TableCapacity, { mode: 'provisioned' }>): void {
    const target = { targetUtilizationPercent: capacity.targetUtilization };
    const bounds = (range: { min: number; max: number }) => ({ minCapacity: range.min, maxCapacity: range.max });
    this.table.autoScaleReadCapacity(bounds(capacity.read)).scaleOnUtilization(target);
    this.table.autoScaleWriteCapacity(bounds(capacity.write)).scaleOnUtilization(target);
    this.table.autoScaleGlobalSecondaryIndexReadCapacity(TABLE.gsi1.name, bounds(capacity.read)).scaleOnUtilization(target);
    this.table.autoScaleGlobalSecondaryIndexWriteCapacity(TABLE.gsi1.name, bounds(capacity.write)).scaleOnUtilization(target);
  }
}
