/**
 * The bucket that keeps message payloads over 256 KiB (core/messages/payload-objects.ts: the claim
 * check). Encrypted at rest (SSE-S3), TLS only, never public. Each object's key starts with its
 * retention in whole days, and one lifecycle rule per prefix deletes it when that has passed (reads
 * treat an expired payload as gone before S3 gets to it). The api writes, reads and deletes (expunge);
 * fan-out (payload filters) and delivery only read.
 */
import { Duration, RemovalPolicy, Stack, type CfnElement } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { PAYLOAD_OBJECT_RETENTION_DAYS, retentionPrefix } from '../functions/core/messages/payload-objects.ts';
import { acknowledge } from './nag.ts';

export interface PayloadBucketProps {
  /** Default RETAIN: deleting the stack must not delete the customers' data. */
  readonly removalPolicy?: RemovalPolicy;
}

export class PayloadBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: PayloadBucketProps = {}) {
    super(scope, id);
    const lifecycleRules: s3.LifecycleRule[] = [{ id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) }];
    for (let days = 1; days <= PAYLOAD_OBJECT_RETENTION_DAYS; days++) {
      lifecycleRules.push({ id: `retention-${days}d`, prefix: retentionPrefix(days), expiration: Duration.days(days) });
    }
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.bucket,
      'AwsSolutions-S1',
      'Only the stack\'s own functions touch this bucket, one object per big message; every publish, read and expunge of a payload is already in the api function\'s log and the attempt log. Server access logs would be a second bucket of per-request records for no question they answer.',
    );
  }

  /** Read (fan-out, delivery) or read, write and delete (api), plus ListBucket, so a missing key is a 404 and not a 403. */
  grant(role: iam.IRole, access: 'read' | 'read-write'): void {
    const actions = access === 'read' ? ['s3:GetObject'] : ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'];
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [this.bucket.arnForObjects('*')] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }));
    const bucketId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnElement);
    acknowledge(
      role,
      `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`,
      'Object keys are per message (retention-<days>d/<app>/<msg>.json) and not known at deploy; the grant covers the objects of this one bucket, with only the actions this function needs.',
    );
  }
}
