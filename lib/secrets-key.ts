/**
 * The customer-managed KMS key that envelope-encrypts endpoint signing secrets in DynamoDB
 * (functions/adapters/kms/kms-cipher.ts). Its own key, not the table's: the table keeps the AWS managed
 * aws/dynamodb key (encrypted at rest, no grants to manage), while this key decides who can read a
 * signing secret, and only the api (seals and opens) and the delivery function (opens) may use it, each
 * only with the `purpose` encryption context. The fan-out function, which reads endpoints to route, gets
 * no KMS permission at all and sees endpoints without their secrets.
 *
 * $1/month for the key plus $0.03 per 10,000 calls; the cipher makes one GenerateDataKey per api
 * container-hour and one Decrypt per data key per delivery container, so calls stay negligible.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { SECRETS_KMS_CONTEXT } from '../functions/shared/names.ts';

export interface SecretsKeyProps {
  /** Default RETAIN: the table's sealed secrets outlive the stack, so must the key that opens them. */
  readonly removalPolicy?: RemovalPolicy;
}

const contextCondition = {
  StringEquals: { [`kms:EncryptionContext:purpose`]: SECRETS_KMS_CONTEXT.purpose },
};

export class SecretsKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: SecretsKeyProps = {}) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'Sluice: envelope encryption of endpoint signing secrets (data keys for AES-256-GCM)',
      enableKeyRotation: true,
      // The key policy's default: the account administers it through IAM; the functions get narrow grants below.
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
  }

  /** Seal (GenerateDataKey) and open (Decrypt): the api, which writes endpoints and serves GET …/secret. */
  grantSealAndOpen(fn: lambda.IFunction): void {
    this.grant(fn, ['kms:GenerateDataKey', 'kms:Decrypt']);
  }

  /** Open (Decrypt) only: the delivery function, which signs with the secrets and never writes them. */
  grantOpen(fn: lambda.IFunction): void {
    this.grant(fn, ['kms:Decrypt']);
  }

  private grant(fn: lambda.IFunction, actions: string[]): void {
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions, resources: [this.key.keyArn], conditions: contextCondition }),
    );
  }
}
