/**
 * The SDK clients that send to destinations: one per (service, region, assumed credentials), kept
 * while those credentials are current (a bounded number; the oldest is destroyed first). The SDK
 * never retries (maxAttempts 1): Sluice's own schedule does, and logs each attempt.
 */
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DestinationType } from '../../core/destinations/arn.ts';
import type { RoleCredentials } from './role-credentials.ts';

/** Local mode: where each service listens (the emulators and stand-ins); absent: AWS's own endpoints. */
export interface DestinationEndpoints {
  sts?: string | undefined;
  sqs?: string | undefined;
  sns?: string | undefined;
  events?: string | undefined;
}

export interface ServiceClients {
  sqs(region: string, credentials: RoleCredentials): Promise<SQSClient>;
  sns(region: string, credentials: RoleCredentials): Promise<SNSClient>;
  events(region: string, credentials: RoleCredentials): Promise<EventBridgeClient>;
  destroy(): void;
}

const MAX_CLIENTS = 200;

interface Destroyable {
  destroy(): void;
}

export function createServiceClients(endpoints: DestinationEndpoints = {}): ServiceClients {
  const clients = new Map<string, Promise<Destroyable>>();

  function settings(type: DestinationType, region: string, credentials: RoleCredentials) {
    const endpoint = endpoints[type];
    return {
      region,
      maxAttempts: 1,
      credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken },
      ...(endpoint === undefined ? {} : { endpoint }),
    };
  }

  function cached<C extends Destroyable>(type: DestinationType, region: string, credentials: RoleCredentials, create: () => Promise<C>): Promise<C> {
    const key = `${type}\n${region}\n${credentials.accessKeyId}`;
    let client = clients.get(key);
    if (client === undefined) {
      if (clients.size >= MAX_CLIENTS) {
        const [oldest, evicted] = clients.entries().next().value as [string, Promise<Destroyable>];
        clients.delete(oldest);
        void evicted.then((c) => c.destroy(), () => undefined);
      }
      client = create();
      clients.set(key, client);
    }
    return client as Promise<C>;
  }

  return {
    sqs: (region, credentials) =>
      cached('sqs', region, credentials, async () => {
        const { SQSClient } = await import('@aws-sdk/client-sqs');
        // The queue URL only names the queue; requests go to the client's (regional) endpoint.
        return new SQSClient({ ...settings('sqs', region, credentials), useQueueUrlAsEndpoint: false });
      }),
    sns: (region, credentials) =>
      cached('sns', region, credentials, async () => {
        const { SNSClient } = await import('@aws-sdk/client-sns');
        return new SNSClient(settings('sns', region, credentials));
      }),
    events: (region, credentials) =>
      cached('events', region, credentials, async () => {
        const { EventBridgeClient } = await import('@aws-sdk/client-eventbridge');
        return new EventBridgeClient(settings('events', region, credentials));
      }),
    destroy() {
      for (const client of clients.values()) void client.then((c) => c.destroy(), () => undefined);
      clients.clear();
    },
  };
}
