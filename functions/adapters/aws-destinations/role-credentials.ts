/**
 * Credentials for the customers' roles: one STS AssumeRole (with the endpoint's external id) per
 * role, cached until 5 minutes before they expire, shared by concurrent sends. A refusal is cached
 * for 10 s, so a burst to an endpoint whose role does not trust Sluice (yet) costs one STS call, not
 * one per message; every attempt in that window is still logged with the refusal.
 */
import type { SendOutcome } from '../../core/delivery/sender.ts';
import { outcomeOfAwsError } from './errors.ts';

export interface RoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch ms. */
  expiresAt: number;
}

export interface RoleToAssume {
  arn: string;
  externalId: string;
  sessionName: string;
}

/** AssumeRole itself (the STS SDK call), seamed for the cache. Throws what the SDK throws. */
export type AssumeRole = (role: RoleToAssume, signal: AbortSignal) => Promise<RoleCredentials>;

export type RoleResult = { ok: true; credentials: RoleCredentials } | { ok: false; outcome: SendOutcome };

const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;
const FAILURE_TTL_MS = 10_000;
const MAX_ROLES = 1000;

interface Entry {
  result: Promise<RoleResult>;
  /** Epoch ms after which the entry is not used. */
  until: number;
}

export function createRoleCredentialCache(options: { assumeRole: AssumeRole; timeoutMs: number; now?: () => number }) {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();

  /** The result, and until when it may be reused. */
  async function assume(role: RoleToAssume): Promise<{ result: RoleResult; until: number }> {
    const started = now();
    try {
      const credentials = await options.assumeRole(role, AbortSignal.timeout(options.timeoutMs));
      return { result: { ok: true, credentials }, until: credentials.expiresAt - REFRESH_BEFORE_EXPIRY_MS };
    } catch (error) {
      const outcome = outcomeOfAwsError(error, `sts:AssumeRole of ${role.arn}`, now() - started, options.timeoutMs);
      return { result: { ok: false, outcome }, until: now() + FAILURE_TTL_MS };
    }
  }

  return {
    get(role: RoleToAssume): Promise<RoleResult> {
      const key = `${role.arn}\n${role.externalId}\n${role.sessionName}`;
      const cached = entries.get(key);
      if (cached !== undefined && cached.until > now()) return cached.result;
      entries.delete(key);
      if (entries.size >= MAX_ROLES) entries.delete(entries.keys().next().value as string);
      // While in flight the entry is shared; once settled it lives as long as its result may be reused.
      const entry: Entry = {
        until: Infinity,
        result: assume(role).then(({ result, until }) => {
          entry.until = until;
          return result;
        }),
      };
      entries.set(key, entry);
      return entry.result;
    },
  };
}

export type RoleCredentialCache = ReturnType<typeof createRoleCredentialCache>;
