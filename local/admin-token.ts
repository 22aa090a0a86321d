/** The local admin token: generated once, kept under the state directory so it survives restarts. */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** `sluice_admin_` + 43 base64url characters: no dot, so Svix's SDKs never read a region from it. */
export function generateAdminToken(): string {
  return `sluice_admin_${randomBytes(32).toString('base64url')}`;
}

/** Reads the token saved at `file`, or generates one and saves it (mode 0600). */
export function loadOrCreateAdminToken(file: string): string {
  try {
    const saved = readFileSync(file, 'utf8').trim();
    if (saved.length >= 16) return saved;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const token = generateAdminToken();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return token;
}
