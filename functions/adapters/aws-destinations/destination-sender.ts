/**
 * Sends webhooks to AWS-native destinations: assume the customer's role (./role-credentials.ts),
 * then one SendMessage, Publish or PutEvents with those credentials. One deadline (the HTTP
 * attempt timeout) covers both calls. Never throws: every end is a SendOutcome.
 */
import type { STSClient } from '@aws-sdk/client-sts';
import type { SendOutcome } from '../../core/delivery/sender.ts';
import type { DestinationSender } from '../../core/destinations/sender.ts';
import { EVENT_SOURCE, type DestinationRequest } from '../../core/destinations/request.ts';
import { serviceName } from '../../core/destinations/limits.ts';
import { DELIVERY } from '../../shared/names.ts';
import { isThrottlingCode, outcomeOfAwsError } from './errors.ts';
import { createRoleCredentialCache, type AssumeRole, type RoleCredentials } from './role-credentials.ts';
import { createServiceClients, type DestinationEndpoints } from './service-clients.ts';

export interface AwsDestinationOptions {
  /** Local mode: the emulators' and stand-ins' addresses; absent: AWS. */
  endpoints?: DestinationEndpoints;
  /** The region of Sluice's own STS calls; absent: the Lambda's (AWS_REGION). */
  region?: string;
  /** Sluice's own credentials for STS; absent: the function's role (the SDK's default chain). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  timeoutMs?: number;
  /** Seam for tests: AssumeRole itself. Default: STS's. */
  assumeRole?: AssumeRole;
}

export interface ClosableDestinationSender extends DestinationSender {
  close(): void;
}

const CALLS = { sqs: 'SendMessage', sns: 'Publish', events: 'PutEvents' } as const;

const queueUrl = (request: DestinationRequest): string => {
  const { partition, region, accountId, name } = request.target;
  const domain = partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://sqs.${region}.${domain}/${accountId}/${name}`;
};

const attributeValues = (attributes: Record<string, string>) =>
  Object.fromEntries(Object.entries(attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]));

/** SendMessage's and Publish's FIFO fields (both services name them alike); none for a standard queue or topic. */
const fifoParams = (request: DestinationRequest) =>
  request.fifo === undefined ? {} : { MessageGroupId: request.fifo.groupId, MessageDeduplicationId: request.fifo.deduplicationId };

/** STS through the SDK, loaded on first use (HTTP-only workers never load it). */
function stsAssumeRole(options: AwsDestinationOptions): AssumeRole {
  let client: Promise<STSClient> | undefined;
  return async (role, signal) => {
    const sdk = await import('@aws-sdk/client-sts');
    client ??= Promise.resolve(
      new sdk.STSClient({
        maxAttempts: 1,
        ...(options.region === undefined ? {} : { region: options.region }),
        ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
        ...(options.endpoints?.sts === undefined ? {} : { endpoint: options.endpoints.sts }),
      }),
    );
    const answer = await (await client).send(
      new sdk.AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: role.sessionName, ExternalId: role.externalId, DurationSeconds: 3600 }),
      { abortSignal: signal },
    );
    const c = answer.Credentials;
    if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined || c.SessionToken === undefined || c.Expiration === undefined) {
      throw Object.assign(new Error('STS answered without credentials'), { name: 'InvalidResponse' });
    }
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiresAt: c.Expiration.getTime() };
  };
}

export function createAwsDestinationSender(options: AwsDestinationOptions = {}): ClosableDestinationSender {
  const timeoutMs = options.timeoutMs ?? DELIVERY.attemptTimeoutMs;
  const roles = createRoleCredentialCache({ assumeRole: options.assumeRole ?? stsAssumeRole(options), timeoutMs });
  const clients = createServiceClients(options.endpoints);

  /** The service call; resolves to what the attempt log shows as the response body. */
  async function put(request: DestinationRequest, credentials: RoleCredentials, signal: AbortSignal): Promise<string> {
    const { region } = request.target;
    switch (request.target.type) {
      case 'sqs': {
        const { SendMessageCommand } = await import('@aws-sdk/client-sqs');
        const answer = await (await clients.sqs(region, credentials)).send(
          new SendMessageCommand({
            QueueUrl: queueUrl(request),
            MessageBody: request.body,
            MessageAttributes: attributeValues(request.attributes),
            ...fifoParams(request),
          }),
          { abortSignal: signal },
        );
        return JSON.stringify({ MessageId: answer.MessageId });
      }
      case 'sns': {
        const { PublishCommand } = await import('@aws-sdk/client-sns');
        const answer = await (await clients.sns(region, credentials)).send(
          new PublishCommand({
            TopicArn: request.arn,
            Message: request.body,
            MessageAttributes: attributeValues(request.attributes),
            ...fifoParams(request),
          }),
          { abortSignal: signal },
        );
        return JSON.stringify({ MessageId: answer.MessageId });
      }
      case 'events': {
        const { PutEventsCommand } = await import('@aws-sdk/client-eventbridge');
        const answer = await (await clients.events(region, credentials)).send(
          new PutEventsCommand({ Entries: [{ EventBusName: request.arn, Source: EVENT_SOURCE, DetailType: request.eventType, Detail: request.body }] }),
          { abortSignal: signal },
        );
        const entry = answer.Entries?.[0];
        // PutEvents answers 200 with per-entry failures: the entry's error is the attempt's.
        if ((answer.FailedEntryCount ?? 0) > 0 || entry?.ErrorCode !== undefined) {
          const code = entry?.ErrorCode ?? 'InternalFailure';
          throw Object.assign(new Error(entry?.ErrorMessage ?? 'the entry was not accepted'), {
            name: code,
            $metadata: { httpStatusCode: isThrottlingCode(code) ? 429 : code === 'InternalFailure' ? 500 : 400 },
          });
        }
        return JSON.stringify({ EventId: entry?.EventId });
      }
    }
  }

  return {
    async send(request): Promise<SendOutcome> {
      const started = Date.now();
      const role = await roles.get(request.role);
      if (!role.ok) return role.outcome;
      const remainingMs = Math.max(1, timeoutMs - (Date.now() - started));
      const action = `${serviceName(request.target.type)} ${CALLS[request.target.type]} to ${request.arn}`;
      try {
        const body = await put(request, role.credentials, AbortSignal.timeout(remainingMs));
        return { kind: 'success', statusCode: 200, body, durationMs: Date.now() - started };
      } catch (error) {
        return outcomeOfAwsError(error, action, Date.now() - started, timeoutMs);
      }
    },
    close: () => clients.destroy(),
  };
}
