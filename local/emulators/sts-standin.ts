/**
 * A local stand-in for AWS STS AssumeRole, not an emulator of IAM: no policy is evaluated. Trust is a
 * list of (role ARN, external id) pairs; a request is trusted when its RoleArn and ExternalId match one
 * pair exactly, as a customer's trust policy with `sts:ExternalId` would decide. It speaks STS's Query
 * protocol (form-encoded POST, XML answers and ErrorResponse bodies) so the real STSClient runs
 * unchanged. Request signatures are not verified.
 *
 * Trust comes from an optional JSON file (`{"roles":[{"roleArn":"…","externalId":"…"}]}`), re-read on
 * every request so it can be edited while the stack runs, plus pairs added in memory with trust().
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenOnLoopback } from './loopback-server.ts';
import { z } from 'zod';

export interface AssumedRoleRecord {
  roleArn: string;
  externalId: string;
  sessionName: string;
  accessKeyId: string;
}

export interface StsStandIn {
  endpoint: string;
  trust(roleArn: string, externalId: string): void;
  distrust(roleArn: string): void;
  assumed(): AssumedRoleRecord[];
  roleOfAccessKey(accessKeyId: string): string | undefined;
  stop(): Promise<void>;
}

export interface StsStandInOptions {
  rolesFile?: string;
  port?: number;
  /** The account the caller is said to belong to in AccessDenied messages. */
  accountId?: string;
}

interface TrustedPair {
  roleArn: string;
  externalId: string;
}

interface AssumeRoleInput {
  roleArn: string;
  sessionName: string;
  externalId: string | undefined;
  durationSeconds: number;
}

const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/;
const SESSION_NAME = /^[\w+=,.@-]*$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]*$/;
const DEFAULT_DURATION_SECONDS = 3600;

const rolesFileSchema = z.object({
  roles: z.array(z.object({ roleArn: z.string().regex(ROLE_ARN), externalId: z.string().min(2) })),
});

/** An STS error as the Query protocol reports it. */
class StsError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function validationError(member: string, value: string | undefined, constraint: string): StsError {
  const shown = value === undefined ? 'null' : `'${value}'`;
  return new StsError(400, 'ValidationError', `1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`);
}

function requireText(params: URLSearchParams, name: string, member: string, min: number, max: number, pattern: RegExp): string {
  const value = params.get(name) ?? undefined;
  if (value === undefined) throw validationError(member, value, 'Member must not be null');
  if (value.length < min) throw validationError(member, value, `Member must have length greater than or equal to ${min}`);
  if (value.length > max) throw validationError(member, value, `Member must have length less than or equal to ${max}`);
  if (!pattern.test(value)) throw validationError(member, value, `Member must satisfy regular expression pattern: ${pattern.source}`);
  return value;
}

function parseDuration(raw: string | null): number {
  if (raw === null) return DEFAULT_DURATION_SECONDS;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds)) throw validationError('durationSeconds', raw, 'Member must be an integer');
  if (seconds < 900) throw validationError('durationSeconds', raw, 'Member must have value greater than or equal to 900');
  if (seconds > 43200) throw validationError('durationSeconds', raw, 'Member must have value less than or equal to 43200');
  return seconds;
}

function parseAssumeRole(params: URLSearchParams): AssumeRoleInput {
  const roleArn = requireText(params, 'RoleArn', 'roleArn', 20, 2048, ROLE_ARN);
  const sessionName = requireText(params, 'RoleSessionName', 'roleSessionName', 2, 64, SESSION_NAME);
  const externalId = params.has('ExternalId') ? requireText(params, 'ExternalId', 'externalId', 2, 1224, EXTERNAL_ID) : undefined;
  return { roleArn, sessionName, externalId, durationSeconds: parseDuration(params.get('DurationSeconds')) };
}

/** The pairs in the roles file now; a missing file means none, a malformed one is the operator's to fix. */
async function readRolesFile(path: string | undefined): Promise<TrustedPair[]> {
  if (path === undefined) return [];
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new StsError(500, 'InternalFailure', `Roles file ${path} could not be read: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new StsError(500, 'InternalFailure', `Roles file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = rolesFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StsError(500, 'InternalFailure', `Roles file ${path} is malformed at ${issue?.path.join('.') ?? '(root)'}: ${issue?.message ?? 'invalid'}; expected {"roles":[{"roleArn":"arn:aws:iam::<account>:role/<name>","externalId":"…"}]}`);
  }
  return parsed.data.roles;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function randomUpperAlphanumeric(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join('');
}

/** A role's unique id (AROA…) stays the same for the same role, as IAM's does. */
function roleUniqueId(roleArn: string): string {
  const digest = createHash('sha256').update(roleArn).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return 'AROA' + Array.from(digest.subarray(0, 17), (byte) => alphabet[byte % alphabet.length]).join('');
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function assumeRoleXml(input: AssumeRoleInput, accessKeyId: string, requestId: string): string {
  const [, account, roleName] = ROLE_ARN.exec(input.roleArn) ?? [];
  const expiration = isoSeconds(new Date(Date.now() + input.durationSeconds * 1000));
  const sessionToken = randomBytes(96).toString('base64');
  const secretAccessKey = randomBytes(30).toString('base64');
  const user = `<AssumedRoleUser><AssumedRoleId>${roleUniqueId(input.roleArn)}:${escapeXml(input.sessionName)}</AssumedRoleId>`
    + `<Arn>arn:aws:sts::${account}:assumed-role/${escapeXml(roleName ?? '')}/${escapeXml(input.sessionName)}</Arn></AssumedRoleUser>`;
  const credentials = `<Credentials><AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>${secretAccessKey}</SecretAccessKey>`
    + `<SessionToken>${sessionToken}</SessionToken><Expiration>${expiration}</Expiration></Credentials>`;
  return `<AssumeRoleResponse xmlns="${STS_XMLNS}"><AssumeRoleResult>${user}${credentials}</AssumeRoleResult>`
    + `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></AssumeRoleResponse>`;
}

function errorXml(error: StsError, requestId: string): string {
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  return `<ErrorResponse xmlns="${STS_XMLNS}"><Error><Type>${type}</Type><Code>${error.code}</Code>`
    + `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}

async function readParams(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const params = new URLSearchParams(new URL(request.url ?? '/', 'http://localhost').search);
  for (const [name, value] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) params.set(name, value);
  return params;
}

function sendXml(response: ServerResponse, status: number, body: string, requestId: string): void {
  response.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
  response.end(body);
}

/** Starts the stand-in on 127.0.0.1 (port 0: any free port). */
export async function startStsStandIn(options: StsStandInOptions = {}): Promise<StsStandIn> {
  const accountId = options.accountId ?? '000000000000';
  const inMemory: TrustedPair[] = [];
  const records: AssumedRoleRecord[] = [];

  async function isTrusted(input: AssumeRoleInput): Promise<boolean> {
    const pairs = [...(await readRolesFile(options.rolesFile)), ...inMemory];
    return pairs.some((pair) => pair.roleArn === input.roleArn && pair.externalId === input.externalId);
  }

  async function assumeRole(params: URLSearchParams, requestId: string): Promise<string> {
    const action = params.get('Action');
    if (action !== 'AssumeRole') {
      throw new StsError(400, 'InvalidAction', `Could not find operation ${action ?? '(none)'} for version ${params.get('Version') ?? '(none)'}; this stand-in serves AssumeRole only`);
    }
    const input = parseAssumeRole(params);
    if (!(await isTrusted(input))) {
      throw new StsError(403, 'AccessDenied', `User: arn:aws:iam::${accountId}:root is not authorized to perform: sts:AssumeRole on resource: ${input.roleArn}`);
    }
    const accessKeyId = 'ASIA' + randomUpperAlphanumeric(16);
    records.push({ roleArn: input.roleArn, externalId: input.externalId ?? '', sessionName: input.sessionName, accessKeyId });
    return assumeRoleXml(input, accessKeyId, requestId);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    try {
      sendXml(response, 200, await assumeRole(await readParams(request), requestId), requestId);
    } catch (error) {
      const stsError = error instanceof StsError ? error : new StsError(500, 'InternalFailure', 'The stand-in failed to handle the request');
      sendXml(response, stsError.status, errorXml(stsError, requestId), requestId);
    }
  }

  const server = await listenOnLoopback(handle, options.port);
  return {
    endpoint: server.endpoint,
    trust: (roleArn, externalId) => {
      if (!inMemory.some((pair) => pair.roleArn === roleArn && pair.externalId === externalId)) inMemory.push({ roleArn, externalId });
    },
    distrust: (roleArn) => {
      for (let i = inMemory.length - 1; i >= 0; i--) if (inMemory[i]?.roleArn === roleArn) inMemory.splice(i, 1);
    },
    assumed: () => records.map((record) => ({ ...record })),
    roleOfAccessKey: (accessKeyId) => records.find((record) => record.accessKeyId === accessKeyId)?.roleArn,
    stop: () => server.stop(),
  };
}
