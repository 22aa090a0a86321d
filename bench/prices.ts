/**
 * AWS list prices used to turn counted requests into dollars: us-east-1, on-demand, first volume tier,
 * no free tier. The one place to update when prices change (then re-run `npm run bench`).
 */

export const PRICES = {
  region: 'us-east-1',
  /** When these were checked against the sources below. */
  checkedOn: '2026-11-30',
  lambda: {
    /** arm64 (Graviton), first 7.5 billion GB-s per month. */
    usdPerGbSecondArm: 0.0000133334,
    usdPerMillionRequests: 0.2,
    source: 'https://aws.amazon.com/lambda/pricing/',
  },
  sqs: {
    /** Standard queues, first 100 billion requests per month. */
    usdPerMillionRequests: 0.4,
    /** FIFO queues (ordered endpoints), first 100 billion requests per month. */
    usdPerMillionFifoRequests: 0.5,
    /** Each started 64 KB of a request's payload is billed as one request. */
    billingChunkBytes: 64 * 1024,
    source: 'https://aws.amazon.com/sqs/pricing/',
  },
  s3: {
    /** S3 Standard: PUT/COPY/POST/LIST and GET requests (big payloads' claim checks). */
    usdPerMillionPuts: 5.0,
    usdPerMillionGets: 0.4,
    source: 'https://aws.amazon.com/s3/pricing/',
  },
  dynamodb: {
    /** On-demand, after the 1 November 2024 price cut (−50 %: was $1.25 / $0.25). */
    usdPerMillionWriteUnits: 0.625,
    usdPerMillionReadUnits: 0.125,
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    /** Provisioned capacity (standard table class): per unit-hour. One WCU = 1 write unit/s; one RCU = 1 read unit/s. */
    usdPerWcuHour: 0.00065,
    usdPerRcuHour: 0.00013,
    provisionedSource: 'https://aws.amazon.com/dynamodb/pricing/provisioned/',
  },
  apiGateway: {
    /** REST APIs, first 333 million requests per month. */
    usdPerMillionRestRequests: 3.5,
    /** HTTP APIs, first 300 million requests per month (each 512 KB of a request is one request). */
    usdPerMillionHttpRequests: 1.0,
    source: 'https://aws.amazon.com/api-gateway/pricing/',
  },
  secretsManager: {
    usdPerTenThousandCalls: 0.05,
    source: 'https://aws.amazon.com/secrets-manager/pricing/',
  },
  kms: {
    /** Symmetric-key requests (GenerateDataKey, Decrypt), beyond the 20,000 free a month. */
    usdPerTenThousandRequests: 0.03,
    source: 'https://aws.amazon.com/kms/pricing/',
  },
  cloudWatchLogs: {
    /** Standard log class ingestion (Lambda logs: first 10 TB tier). */
    usdPerGbIngested: 0.5,
    source: 'https://aws.amazon.com/cloudwatch/pricing/',
  },
  eventBridge: {
    /** Custom events put on a bus, per 64 KB chunk. */
    usdPerMillionEvents: 1.0,
    /** API destinations: each HTTP invocation of the destination. */
    usdPerMillionApiDestinationInvocations: 0.2,
    source: 'https://aws.amazon.com/eventbridge/pricing/',
  },
} as const;

export type Prices = typeof PRICES;
