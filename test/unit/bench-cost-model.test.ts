/**
 * The benchmark's cost model (bench/cost-model.ts): counted requests → billed requests and dollars
 * per delivered webhook, with hand-computed expectations.
 */
import type { InvocationCount, OperationCount } from '../../bench/aws-meter.ts';
import { costReport, estimatedLambdaGbSeconds, idleSqsUsdPerMonth, type Assumptions } from '../../bench/cost-model.ts';
import { PRICES } from '../../bench/prices.ts';

const op = (fields: Partial<OperationCount> & Pick<OperationCount, 'fn' | 'service' | 'operation'>): OperationCount => ({
  calls: 0, errors: 0, billedRequests: 0, readUnits: 0, writeUnits: 0, indexWriteUnits: 0, totalMs: 0,
  emptyReceives: 0, messagesReceived: 0, ...fields,
});
const inv = (fn: InvocationCount['fn'], invocations: number, billedMs: number, records = 0): InvocationCount => ({
  fn, invocations, billedMs, records,
});
const NO_EXTRAS: Assumptions = { platformLogBytesPerInvocation: 0, accessLogBytesPerApiRequest: 0, apiColdStartsPerMillionDeliveries: 0 };
const MEMORY = { api: 512, fanout: 256, deliver: 1024 };

describe('costReport', () => {
  // 10 messages to 10 endpoints: 100 deliveries.
  const usage = {
    deliveries: 100,
    messages: 10,
    apiRequests: 10,
    memoryMb: MEMORY,
    logBytes: 0,
    operations: [
      op({ fn: 'api', service: 'sqs', operation: 'SendMessage', calls: 10, billedRequests: 10 }),
      op({ fn: 'api', service: 'dynamo', operation: 'PutItem', calls: 10, writeUnits: 20 }),
      // 30 receives, 20 of them empty: only the 10 that returned tasks are charged to deliveries.
      op({ fn: 'deliver', service: 'sqs', operation: 'ReceiveMessage', calls: 30, billedRequests: 30, emptyReceives: 20, messagesReceived: 100 }),
      op({ fn: 'deliver', service: 'dynamo', operation: 'BatchWriteItem', calls: 100, writeUnits: 100 }),
      op({ fn: 'deliver', service: 'dynamo', operation: 'GetItem', calls: 20, readUnits: 10 }),
    ],
    invocations: [inv('api', 10, 100), inv('deliver', 10, 2000, 100)],
  };

  test('billed requests per delivery: SQS requests + read and write units + invocations, empty receives left out', () => {
    const report = costReport(usage, NO_EXTRAS);
    expect(report.perDelivery.sqsRequests).toBeCloseTo(0.2); // (10 + 10) / 100
    expect(report.perDelivery.writeUnits).toBeCloseTo(1.2); // (20 + 100) / 100
    expect(report.perDelivery.readUnits).toBeCloseTo(0.1);
    expect(report.perDelivery.lambdaInvocations).toBeCloseTo(0.2);
    expect(report.perDelivery.billedRequests).toBeCloseTo(1.7);
    expect(report.billedRequestsByFunction).toEqual({ api: expect.closeTo(0.4), fanout: 0, deliver: expect.closeTo(1.3) });
    expect(report.emptyReceives).toBe(20);
    expect(report.averageBatch).toEqual({ deliver: 10 });
  });

  test('dollars per million deliveries, line by line', () => {
    const report = costReport(usage, NO_EXTRAS);
    const u = report.usdPerMillion;
    expect(u.apiGateway).toBeCloseTo(0.1 * 3.5);
    expect(u.sqs).toBeCloseTo(0.2 * 0.4);
    expect(u.dynamoWrites).toBeCloseTo(1.2 * 0.625);
    expect(u.dynamoReads).toBeCloseTo(0.1 * 0.125);
    expect(u.lambdaRequests).toBeCloseTo(0.2 * 0.2);
    // api: 0.1 s × 0.5 GB; deliver: 2 s × 1 GB → 2.05 GB-s per 100 deliveries.
    expect(u.lambdaCompute).toBeCloseTo((2.05 / 100) * 1e6 * PRICES.lambda.usdPerGbSecondArm);
    expect(u.logs).toBe(0);
    expect(u.kms).toBe(0);
    expect(u.total).toBeCloseTo(u.apiGateway + u.sqs + u.dynamoWrites + u.dynamoReads + u.lambdaRequests + u.lambdaCompute);
  });

  test('the deployment options: HTTP API at $1.00 per million requests; provisioned units kept 70 % busy', () => {
    const report = costReport(usage, NO_EXTRAS);
    const total = report.usdPerMillion.total;
    const v = report.variants;
    expect(v.restOnDemand).toBe(total);
    expect(v.httpOnDemand).toBeCloseTo(total - 0.1 * 3.5 + 0.1 * 1.0);
    // A WCU-hour ($0.00065) holds 3,600 writes, 2,520 of them at 70 %: $0.258 per million writes; RCU likewise.
    const writes = (0.00065 / (3600 * 0.7)) * 1e6;
    const reads = (0.00013 / (3600 * 0.7)) * 1e6;
    expect(writes).toBeCloseTo(0.258, 3);
    expect(v.restProvisioned).toBeCloseTo(total - 1.2 * 0.625 - 0.1 * 0.125 + 1.2 * writes + 0.1 * reads);
    expect(v.httpProvisioned).toBeCloseTo(v.restProvisioned - 0.1 * 3.5 + 0.1 * 1.0);
    expect(costReport(usage, { ...NO_EXTRAS, provisionedUtilization: 1 }).variants.restProvisioned).toBeLessThan(v.restProvisioned);
  });

  test('log bytes: measured lines plus Lambda platform lines and API Gateway access logs', () => {
    const report = costReport({ ...usage, logBytes: 50_000 }, {
      platformLogBytesPerInvocation: 300,
      accessLogBytesPerApiRequest: 400,
      apiColdStartsPerMillionDeliveries: 10_000,
    });
    const bytes = 50_000 + 20 * 300 + 10 * 400;
    expect(report.perDelivery.logBytes).toBe(bytes / 100);
    expect(report.usdPerMillion.logs).toBeCloseTo(((bytes / 100) * 1e6 / 1e9) * 0.5);
    expect(report.usdPerMillion.secretsManager).toBeCloseTo(0.05);
  });

  test('KMS requests at $0.03 per 10,000', () => {
    const withKms = { ...usage, operations: [...usage.operations, op({ fn: 'deliver', service: 'kms', operation: 'Decrypt', calls: 2 })] };
    expect(costReport(withKms, NO_EXTRAS).usdPerMillion.kms).toBeCloseTo((2 / 100) * 3);
  });

  test('EventBridge API destinations: one event per message plus one invocation per delivery', () => {
    expect(costReport(usage, NO_EXTRAS).eventBridgeUsdPerMillion).toBeCloseTo(0.1 * 1.0 + 0.2);
  });

  test('refuses to divide by zero deliveries', () => {
    expect(() => costReport({ ...usage, deliveries: 0 })).toThrow(/no deliveries/);
  });
});

test('idle polling of two queues by five long-polling pollers each costs about $0.52 a month', () => {
  // 2 queues × 5 pollers × 3 polls a minute × 43,200 minutes = 1.296 M requests.
  expect(idleSqsUsdPerMonth()).toBeCloseTo(1.296 * 0.4, 3);
});

test('estimated Lambda GB-s: idle I/O wait per invocation at its memory, plus CPU at 1 vCPU per 1,769 MB', () => {
  const gbSeconds = estimatedLambdaGbSeconds({
    invocationsPerDelivery: { api: 0.1, deliver: 0.1 },
    idleHandlerMs: { api: 20, fanout: 10, deliver: 40 },
    memoryMb: MEMORY,
    cpuMsPerDelivery: 2,
  });
  // api 0.1 × 0.02 s × 0.5 GB + deliver 0.1 × 0.04 s × 1 GB + 0.002 s × 1769/1024 GB.
  expect(gbSeconds).toBeCloseTo(0.001 + 0.004 + 0.002 * (1769 / 1024), 9);
});
