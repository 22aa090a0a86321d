/** The SDK clients a function holds for its lifetime (created at cold start, reused by every invocation). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';

export interface AwsClients {
  dynamo: DynamoDBClient;
  sqs: SQSClient;
  /**
   * The S3 client, loaded on first call: only big payloads (over 256 KiB) touch S3, and a function that
   * never sees one never loads the S3 SDK at cold start.
   */
  s3: LazyClient<S3Client>;
}

/** A client created on first `get()`; `destroy()` destroys it if it was. */
export interface LazyClient<C> {
  get(): Promise<C>;
  destroy(): void;
}

/** Where the clients point when not at AWS (the local emulators). */
export interface AwsClientOverrides {
  dynamoEndpoint?: string;
  sqsEndpoint?: string;
  /** fauxqs's S3 (path-style addressing: no bucket subdomains on 127.0.0.1). */
  s3Endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** Clients with the SDK defaults (the Lambda's region and role), or pointed at `overrides`. */
export function createAwsClients(overrides: AwsClientOverrides = {}): AwsClients {
  const common = {
    ...(overrides.region === undefined ? {} : { region: overrides.region }),
    ...(overrides.credentials === undefined ? {} : { credentials: overrides.credentials }),
  };
  let s3: Promise<S3Client> | undefined;
  return {
    s3: {
      get: () =>
        (s3 ??= import('@aws-sdk/client-s3').then(
          ({ S3Client }) =>
            new S3Client({ ...common, ...(overrides.s3Endpoint === undefined ? {} : { endpoint: overrides.s3Endpoint, forcePathStyle: true }) }),
        )),
      destroy: () => void s3?.then((client) => client.destroy()),
    },
    dynamo: new DynamoDBClient({
      ...common,
      ...(overrides.dynamoEndpoint === undefined ? {} : { endpoint: overrides.dynamoEndpoint }),
    }),
    sqs: new SQSClient({
      ...common,
      // Send to the client's endpoint, not the host inside each QueueUrl: the same in AWS, and queue
      // URLs from the emulator (`sqs.us-east-1.127.0.0.1:port`, or an old port after a restart) are
      // not addresses to call.
      useQueueUrlAsEndpoint: false,
      ...(overrides.sqsEndpoint === undefined ? {} : { endpoint: overrides.sqsEndpoint }),
    }),
  };
}

export function destroyAwsClients(clients: AwsClients): void {
  clients.dynamo.destroy();
  clients.sqs.destroy();
  clients.s3.destroy();
}

/** Powertools reads POWERTOOLS_LOG_LEVEL itself; the local runner passes its own loggers. */
export const defaultLogger = (serviceName: string): Logger => new Logger({ serviceName });

