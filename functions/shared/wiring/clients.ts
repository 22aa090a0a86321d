/** The SDK clients a function holds for its lifetime (created at cold start, reused by every invocation). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { Logger } from '@aws-lambda-powertools/logger';

export interface AwsClients {
  dynamo: DynamoDBClient;
  sqs: SQSClient;
}

/** Where the clients point when not at AWS (the local emulators). */
export interface AwsClientOverrides {
  dynamoEndpoint?: string;
  sqsEndpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** Clients with the SDK defaults (the Lambda's region and role), or pointed at `overrides`. */
export function createAwsClients(overrides: AwsClientOverrides = {}): AwsClients {
  const common = {
    ...(overrides.region === undefined ? {} : { region: overrides.region }),
    ...(overrides.credentials === undefined ? {} : { credentials: overrides.credentials }),
  };
  return {
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
}

/** Powertools reads POWERTOOLS_LOG_LEVEL itself; the local runner passes its own loggers. */
export const defaultLogger = (serviceName: string): Logger => new Logger({ serviceName });

