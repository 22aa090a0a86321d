/**
 * Payload filters follow EventBridge's event-pattern semantics. The table has one row per example in
 * EventBridge's documentation (the user guide's event-pattern, arrays, null-value and content-filtering
 * pages, and the comparison-operator table) and in the README of aws/event-ruler, the library behind
 * them: the documented pattern and event, and what the documentation says the outcome is. A row's
 * pattern is put under `payload` and its event is the message's payload, which is how a Sluice filter
 * addresses a payload. Rows marked "(counter)" are the same example with the event changed so that it
 * must not match, so every operator is seen both ways.
 */
import { matchesFilter, validateFilter, type FilterableMessage } from '../../functions/core/filtering/filter.ts';
import { exclusionOf } from '../../functions/core/fanout/routing.ts';

type Json = Record<string, unknown>;
interface Row {
  name: string;
  pattern: Json;
  event: Json;
  matches: boolean;
}

const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

const autoscalingEvent = {
  version: '0',
  'detail-type': 'EC2 Instance Launch Successful',
  source: 'aws.autoscaling',
  time: '2015-11-11T21:31:47Z',
  region: 'us-east-1',
  resources: [],
  detail: { eventVersion: '', responseElements: null },
};

const macieEvent = {
  'detail-type': 'Macie Alert',
  source: 'aws.macie',
  detail: { 'notification-type': 'ALERT_CREATED', tags: ['Custom_Alert', 'Insider'], 'risk-score': 80, trigger: { 'alert-type': 'basic', risk: 8 } },
};

/** The sample event of aws/event-ruler's README, which all its "Ruler by example" patterns match. */
const rulerEvent = {
  version: '0',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: { 'c-count': 5, 'd-count': 3, 'x-limit': 301.8, 'source-ip': '10.0.0.33', 'instance-id': 'i-000000aaaaaa00000', state: 'running' },
};

const cloudwatch = (fields: Json): Json => ({ source: 'aws.cloudwatch', ...fields });
const detail = (fields: Json): Json => ({ detail: fields });

const ROWS: Row[] = [
  // Event patterns page
  { name: 'EC2 instance-termination pattern', pattern: { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['terminated'] } }, event: ec2Event, matches: true },
  { name: 'EC2 instance-termination pattern (counter)', pattern: { source: ['aws.ec2'], detail: { state: ['terminated'] } }, event: { ...ec2Event, detail: { state: 'running' } }, matches: false },
  { name: 'matching values: source is aws.ec2 or aws.fargate', pattern: { source: ['aws.ec2', 'aws.fargate'] }, event: ec2Event, matches: true },
  { name: 'the event must contain every field of the pattern', pattern: { source: ['aws.ec2'], 'no-such-field': ['x'] }, event: ec2Event, matches: false },
  { name: 'field matching: responseElements is null', pattern: { source: ['aws.autoscaling'], 'detail-type': ['EC2 Instance Launch Successful'], detail: { responseElements: [null] } }, event: autoscalingEvent, matches: true },
  { name: 'value matching: Macie risk score 80 and trigger risk 8', pattern: { source: ['aws.macie'], 'detail-type': ['Macie Alert'], detail: { 'risk-score': [80], trigger: { risk: [8] } } }, event: macieEvent, matches: true },
  { name: 'strings match character by character, without case folding', pattern: { source: ['AWS.EC2'] }, event: ec2Event, matches: false },
  // Null values and empty strings page
  { name: 'empty string matches eventVersion ""', pattern: detail({ eventVersion: [''] }), event: autoscalingEvent, matches: true },
  { name: 'null matches responseElements null', pattern: detail({ responseElements: [null] }), event: autoscalingEvent, matches: true },
  { name: 'an empty-string pattern does not match null', pattern: detail({ responseElements: [''] }), event: autoscalingEvent, matches: false },
  { name: 'a null pattern does not match an empty string', pattern: detail({ eventVersion: [null] }), event: autoscalingEvent, matches: false },
  // Arrays page
  {
    name: 'arrays: pattern values intersect the event array',
    pattern: { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f', 'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f', 'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f'] },
    event: { resources: ['arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate', 'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f'] },
    matches: true,
  },
  { name: 'arrays: no common element', pattern: { resources: ['arn:a', 'arn:b'] }, event: { resources: ['arn:c'] }, matches: false },
  { name: 'arrays: an empty event array has no values', pattern: { resources: ['arn:a'] }, event: autoscalingEvent, matches: false },
  // Content filtering page: prefix / suffix (also ignoring case)
  { name: 'prefix: time starts with 2017-10-02', pattern: { time: [{ prefix: '2017-10-02' }] }, event: { time: '2017-10-02T18:43:48Z' }, matches: true },
  { name: 'prefix (counter)', pattern: { time: [{ prefix: '2017-10-02' }] }, event: { time: '2017-10-03T18:43:48Z' }, matches: false },
  { name: 'prefix: Auto Scaling events from European regions', pattern: { source: ['aws.autoscaling'], region: [{ prefix: 'eu-' }] }, event: { ...autoscalingEvent, region: 'eu-west-1' }, matches: true },
  { name: 'prefix only works on strings', pattern: detail({ 'risk-score': [{ prefix: '8' }] }), event: macieEvent, matches: false },
  { name: 'prefix ignoring case: service starts with EventB', pattern: detail({ service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] }), event: detail({ service: 'eventbridge' }), matches: true },
  { name: 'prefix ignoring case (counter)', pattern: detail({ service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] }), event: detail({ service: 'sns' }), matches: false },
  { name: 'suffix: FileName ends with .png', pattern: { FileName: [{ suffix: '.png' }] }, event: { FileName: 'image.png' }, matches: true },
  { name: 'suffix (counter: case matters)', pattern: { FileName: [{ suffix: '.png' }] }, event: { FileName: 'image.PNG' }, matches: false },
  { name: 'suffix ignoring case: .png or .PNG', pattern: detail({ FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] }), event: detail({ FileName: 'image.PNG' }), matches: true },
  { name: 'suffix: ruler source ends with ec2', pattern: { source: [{ suffix: 'ec2' }] }, event: rulerEvent, matches: true },
  // anything-but
  { name: 'anything-but a string', pattern: detail({ state: [{ 'anything-but': 'initializing' }] }), event: rulerEvent, matches: true },
  { name: 'anything-but a string (counter)', pattern: detail({ state: [{ 'anything-but': 'initializing' }] }), event: detail({ state: 'initializing' }), matches: false },
  { name: 'anything-but a number', pattern: detail({ 'x-limit': [{ 'anything-but': 123 }] }), event: rulerEvent, matches: true },
  { name: 'anything-but a number (counter)', pattern: detail({ 'x-limit': [{ 'anything-but': 123 }] }), event: detail({ 'x-limit': 123 }), matches: false },
  { name: 'anything-but a list of strings', pattern: detail({ state: [{ 'anything-but': ['stopped', 'overloaded'] }] }), event: rulerEvent, matches: true },
  { name: 'anything-but a list of strings (counter)', pattern: detail({ state: [{ 'anything-but': ['stopped', 'overloaded'] }] }), event: detail({ state: 'overloaded' }), matches: false },
  { name: 'anything-but a list of numbers', pattern: detail({ 'x-limit': [{ 'anything-but': [100, 200, 300] }] }), event: rulerEvent, matches: true },
  { name: 'anything-but a list of numbers (counter)', pattern: detail({ 'x-limit': [{ 'anything-but': [100, 200, 300] }] }), event: detail({ 'x-limit': 200 }), matches: false },
  { name: 'anything-but a prefix: state not starting with init', pattern: detail({ state: [{ 'anything-but': { prefix: 'init' } }] }), event: rulerEvent, matches: true },
  { name: 'anything-but a prefix (counter)', pattern: detail({ state: [{ 'anything-but': { prefix: 'init' } }] }), event: detail({ state: 'initializing' }), matches: false },
  { name: 'anything-but: every event except CloudTrail API calls', pattern: { 'detail-type': [{ 'anything-but': 'AWS API Call via CloudTrail' }] }, event: ec2Event, matches: true },
  { name: 'anything-but: not from EC2 or S3', pattern: { source: [{ 'anything-but': ['aws.ec2', 'aws.s3'] }] }, event: macieEvent, matches: true },
  { name: 'anything-but: not from EC2 or S3 (counter)', pattern: { source: [{ 'anything-but': ['aws.ec2', 'aws.s3'] }] }, event: ec2Event, matches: false },
  { name: 'anything-but prefix aws.: only your own events', pattern: { source: [{ 'anything-but': { prefix: 'aws.' } }] }, event: { source: 'com.example.orders' }, matches: true },
  { name: 'anything-but prefix aws. (counter)', pattern: { source: [{ 'anything-but': { prefix: 'aws.' } }] }, event: ec2Event, matches: false },
  { name: 'anything-but a prefix: Region not in the US', pattern: { Region: [{ 'anything-but': { prefix: 'us-' } }] }, event: { Region: 'eu-central-1' }, matches: true },
  { name: 'anything-but a suffix: FileName not ending in .png', pattern: { FileName: [{ 'anything-but': { suffix: '.png' } }] }, event: { FileName: 'notes.txt' }, matches: true },
  { name: 'anything-but a suffix (counter)', pattern: { FileName: [{ 'anything-but': { suffix: '.png' } }] }, event: { FileName: 'photo.png' }, matches: false },
  { name: 'anything-but ignoring case: not initializing in any casing', pattern: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] }, event: { state: 'INITIALIZING' }, matches: false },
  { name: 'anything-but ignoring case (other value)', pattern: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] }, event: { state: 'running' }, matches: true },
  { name: 'anything-but a wildcard: FilePath without /lib/', pattern: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, event: { FilePath: '/usr/bin/env' }, matches: true },
  { name: 'anything-but a wildcard (counter)', pattern: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, event: { FilePath: '/usr/lib/libc.so' }, matches: false },
  // numeric
  { name: 'numeric: c-count in (0, 5], d-count < 10, x-limit = 3.018e2', pattern: detail({ 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ numeric: ['=', 3.018e2] }] }), event: rulerEvent, matches: true },
  { name: 'numeric: every field must hold (counter: c-count 6)', pattern: detail({ 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }] }), event: detail({ 'c-count': 6, 'd-count': 3 }), matches: false },
  { name: 'numeric: the lower bound is exclusive', pattern: detail({ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }), event: detail({ 'c-count': 0 }), matches: false },
  { name: 'numeric only works on JSON numbers', pattern: detail({ 'c-count': [{ numeric: ['>', 0] }] }), event: detail({ 'c-count': '5' }), matches: false },
  // IP address
  { name: 'cidr: source-ip in 10.0.0.0/24', pattern: detail({ 'source-ip': [{ cidr: '10.0.0.0/24' }] }), event: rulerEvent, matches: true },
  { name: 'cidr (counter)', pattern: detail({ 'source-ip': [{ cidr: '10.0.0.0/24' }] }), event: detail({ 'source-ip': '10.0.1.33' }), matches: false },
  { name: 'cidr: IPv6 too', pattern: detail({ 'source-ip': [{ cidr: '2001:db8::/32' }] }), event: detail({ 'source-ip': '2001:db8::1' }), matches: true },
  // exists
  { name: 'exists false: no detail.c-count', pattern: detail({ 'c-count': [{ exists: false }] }), event: { 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['initializing', 'running'] } }, matches: true },
  { name: 'exists false: c-count is not a leaf node', pattern: detail({ 'c-count': [{ exists: false }] }), event: detail({ state: ['initializing', 'running'], 'c-count': { c1: 100 } }), matches: true },
  { name: 'exists false (counter)', pattern: detail({ 'c-count': [{ exists: false }] }), event: rulerEvent, matches: false },
  { name: 'exists true: the event has detail.c-count', pattern: detail({ 'c-count': [{ exists: true }] }), event: rulerEvent, matches: true },
  { name: 'exists true: events with a description', pattern: detail({ description: [{ exists: true }] }), event: detail({ description: 'full text' }), matches: true },
  { name: 'exists true (counter)', pattern: detail({ description: [{ exists: true }] }), event: rulerEvent, matches: false },
  // equals-ignore-case, wildcard
  { name: 'equals-ignore-case: Name is alice', pattern: { Name: [{ 'equals-ignore-case': 'alice' }] }, event: { Name: 'Alice' }, matches: true },
  { name: 'equals-ignore-case: ruler source EC2', pattern: { source: [{ 'equals-ignore-case': 'EC2' }] }, event: { source: 'ec2' }, matches: true },
  { name: 'equals-ignore-case (counter)', pattern: { Name: [{ 'equals-ignore-case': 'alice' }] }, event: { Name: 'Alicia' }, matches: false },
  { name: 'empty: LastName is empty', pattern: { LastName: [''] }, event: { LastName: '' }, matches: true },
  { name: 'equals: Name is Alice', pattern: { Name: ['Alice'] }, event: { Name: 'Alice' }, matches: true },
  { name: 'wildcard: event bus ARN in any account', pattern: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] }, event: { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/orders' }, matches: true },
  { name: 'wildcard (counter: other region)', pattern: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] }, event: { EventBusArn: 'arn:aws:events:eu-west-1:123456789012:event-bus/orders' }, matches: false },
  { name: 'wildcard: Simple*Service', pattern: { source: [{ wildcard: 'Simple*Service' }] }, event: { source: 'SimpleNotificationService' }, matches: true },
  { name: 'wildcard: *.png', pattern: { key: [{ wildcard: '*.png' }] }, event: { key: 'dir/photo.png' }, matches: true },
  { name: 'wildcard: *Title*', pattern: { name: [{ wildcard: '*Title*' }] }, event: { name: 'A Title Here' }, matches: true },
  { name: 'wildcard: a star matches no character too', pattern: { name: [{ wildcard: '*Title*' }] }, event: { name: 'Title' }, matches: true },
  { name: 'wildcard: an escaped star is literal', pattern: { name: [{ wildcard: 'a\\*b' }] }, event: { name: 'axb' }, matches: false },
  // $or
  { name: '$or: source and (metricName or namespace)', pattern: { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }] }, event: cloudwatch({ namespace: 'AWS/ES' }), matches: true },
  { name: '$or (counter: neither branch)', pattern: { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }] }, event: cloudwatch({ namespace: 'AWS/S3' }), matches: false },
  {
    name: 'parallel $or',
    pattern: { $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }], detail: { $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }] } },
    event: { metricName: 'ReadLatency', detail: { 'detail-type': 'CloudWatch Alarm State Change' } },
    matches: true,
  },
  {
    name: 'parallel $or (counter: the second group fails)',
    pattern: { $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }], detail: { $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }] } },
    event: { metricName: 'ReadLatency', detail: { source: 'aws.ec2' } },
    matches: false,
  },
  {
    name: '$or with an and inside',
    pattern: { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'] }, { scope: ['Service'] }] },
    event: cloudwatch({ metricType: 'MetricType', namespace: 'AWS/EC2' }),
    matches: true,
  },
  {
    name: '$or with an and inside (counter: half the and)',
    pattern: { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'] }, { scope: ['Service'] }] },
    event: cloudwatch({ metricType: 'MetricType', namespace: 'AWS/S3' }),
    matches: false,
  },
  {
    name: 'nested $or and and',
    pattern: { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] }, { scope: ['Service'] }] },
    event: cloudwatch({ metricType: 'MetricType', namespace: 'AWS/ES', spaceId: 1000 }),
    matches: true,
  },
  {
    name: 'nested $or and and (counter: the inner $or fails)',
    pattern: { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] }, { scope: ['Service'] }] },
    event: cloudwatch({ metricType: 'MetricType', namespace: 'AWS/ES', spaceId: 7 }),
    matches: false,
  },
  // Complex example
  {
    name: 'complex: prefix, anything-but, numeric and cidr together',
    pattern: { time: [{ prefix: '2017-10-02' }], detail: { state: [{ 'anything-but': 'initializing' }], 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ 'anything-but': [100, 200, 300] }], 'source-ip': [{ cidr: '10.0.0.0/8' }] } },
    event: rulerEvent,
    matches: true,
  },
  // aws/event-ruler: JSON array matching
  { name: 'ruler: objects in an array are matched as the field', pattern: { employees: { firstName: ['Anna'] } }, event: { employees: [{ firstName: 'John', lastName: 'Doe' }, { firstName: 'Anna', lastName: 'Smith' }, { firstName: 'Peter', lastName: 'Jones' }] }, matches: true },
  { name: 'ruler: multi-level arrays too', pattern: { employees: { firstName: ['Peter'] } }, event: { employees: [[{ firstName: 'John', lastName: 'Doe' }, { firstName: 'Anna', lastName: 'Smith' }], [{ firstName: 'Peter', lastName: 'Jones' }]] }, matches: true },
  { name: 'ruler: fields must match within one array element', pattern: { employees: { firstName: ['Anna'], lastName: ['Jones'] } }, event: { employees: [{ firstName: 'John', lastName: 'Doe' }, { firstName: 'Anna', lastName: 'Smith' }, { firstName: 'Peter', lastName: 'Jones' }] }, matches: false },
];

const messageWith = (payload: Json | null, extra: Partial<FilterableMessage> = {}): FilterableMessage => ({
  eventType: 'order.created',
  channels: null,
  tags: null,
  payload,
  ...extra,
});

describe('EventBridge documentation examples', () => {
  test.each(ROWS)('$name', ({ pattern, event, matches }) => {
    const filter = { payload: pattern };
    expect(validateFilter(filter)).toEqual([]);
    expect(matchesFilter(filter, messageWith(event))).toBe(matches);
  });

  test('the table covers every operator, each matching and not matching', () => {
    const seen = (expected: boolean) => new Set(ROWS.filter((r) => r.matches === expected).flatMap((r) => operatorsIn(r.pattern)));
    const all = ['exact', 'prefix', 'suffix', 'anything-but', 'numeric', 'cidr', 'exists', 'equals-ignore-case', 'wildcard', '$or'];
    expect([...seen(true)].sort()).toEqual(expect.arrayContaining(all));
    expect([...seen(false)].sort()).toEqual(expect.arrayContaining(all));
  });
});

function operatorsIn(pattern: unknown): string[] {
  if (Array.isArray(pattern)) return pattern.flatMap((v) => (typeof v === 'object' && v !== null ? Object.keys(v) : ['exact']));
  if (typeof pattern !== 'object' || pattern === null) return [];
  return Object.entries(pattern).flatMap(([key, value]) => (key === '$or' ? ['$or', ...(value as unknown[]).flatMap(operatorsIn)] : operatorsIn(value)));
}

describe('the message fields a filter addresses', () => {
  test('eventType, channels and tags sit beside payload; null ones are absent fields', () => {
    const message = messageWith({ amount: 5 }, { eventType: 'invoice.paid', channels: ['eu', 'vip'], tags: ['t1'] });
    expect(matchesFilter({ eventType: [{ prefix: 'invoice.' }] }, message)).toBe(true);
    expect(matchesFilter({ eventType: ['invoice.failed'] }, message)).toBe(false);
    expect(matchesFilter({ channels: ['vip'] }, message)).toBe(true);
    expect(matchesFilter({ tags: [{ 'anything-but': 't1' }] }, message)).toBe(false);
    expect(matchesFilter({ channels: [{ exists: false }] }, messageWith({}))).toBe(true);
    expect(matchesFilter({ tags: [{ exists: true }] }, messageWith({}))).toBe(false);
    expect(matchesFilter({ $or: [{ tags: ['t1'] }, { payload: { amount: [{ numeric: ['>', 100] }] } }] }, message)).toBe(true);
  });

  test('a purged payload is an absent field', () => {
    expect(matchesFilter({ payload: { amount: [{ exists: false }] } }, messageWith(null))).toBe(true);
    expect(matchesFilter({ payload: { amount: [{ exists: true }] } }, messageWith(null))).toBe(false);
  });

  test('every condition but exists:false needs the field to have a value (anything-but too)', () => {
    expect(matchesFilter({ payload: { state: [{ 'anything-but': 'x' }] } }, messageWith({}))).toBe(false);
    expect(matchesFilter({ payload: { state: [{ 'anything-but': 'x' }] } }, messageWith({ state: null }))).toBe(true);
    expect(matchesFilter({ payload: { state: [{ exists: true }] } }, messageWith({ state: null }))).toBe(true);
    expect(matchesFilter({ payload: { state: [{ exists: false }, 'on'] } }, messageWith({ state: 'on' }))).toBe(true);
  });

  test('anything-but on an array: any element that differs matches', () => {
    expect(matchesFilter({ payload: { tags: [{ 'anything-but': 'a' }] } }, messageWith({ tags: ['a', 'b'] }))).toBe(true);
    expect(matchesFilter({ payload: { tags: [{ 'anything-but': 'a' }] } }, messageWith({ tags: ['a'] }))).toBe(false);
  });

  test('numbers are compared by value (the payload is stored parsed, so 300.0 and 3e2 are the number 300)', () => {
    expect(matchesFilter({ payload: { n: [300] } }, messageWith(JSON.parse('{"n": 3.0e2}') as Json))).toBe(true);
    expect(matchesFilter({ payload: { n: [300] } }, messageWith({ n: '300' }))).toBe(false);
  });

  test('own fields only: Object.prototype is not part of any payload', () => {
    expect(matchesFilter({ payload: { constructor: [{ exists: true }] } }, messageWith({}))).toBe(false);
    expect(matchesFilter({ payload: { toString: [{ exists: false }] } }, messageWith({}))).toBe(true);
  });

  test('routing explains a filtered-out endpoint after the type and channel checks', () => {
    const endpoint = { disabled: false, eventTypes: null, channels: null, filter: { payload: { amount: [{ numeric: ['>', 10] }] } } };
    expect(exclusionOf(endpoint, messageWith({ amount: 5 }))).toBe('filter');
    expect(exclusionOf(endpoint, messageWith({ amount: 50 }))).toBeNull();
    expect(exclusionOf({ ...endpoint, eventTypes: ['other'] }, messageWith({ amount: 5 }))).toBe('event-type');
    expect(exclusionOf({ ...endpoint, disabled: true }, messageWith({ amount: 5 }))).toBe('disabled');
    expect(exclusionOf({ ...endpoint, channels: ['c'] }, messageWith({ amount: 50 }))).toBe('channels');
  });
});
