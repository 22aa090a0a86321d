/**
 * What every browser test file needs: the portal built, the local stack started in-process (as the
 * integration tests do), a real webhook receiver, an admin svix client, and Chromium.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { Svix } from 'svix';
import { ensurePortalBuilt } from '../../../portal/build.ts';
import { startSluice, type RunningSluice, type SluiceOptions } from '../../../local/stack.ts';
import { startReceiver, type Receiver } from '../../support/receiver.ts';
import { launchChromium } from './browser.ts';

/** Named in the README; the tests rewrite these files on every run. */
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));

export interface PortalStack {
  sluice: RunningSluice;
  receiver: Receiver;
  admin: Svix;
  browser: Browser;
  portalUrl: string;
  stop(): Promise<void>;
}

export async function startPortalStack(options: SluiceOptions = {}): Promise<PortalStack> {
  // Built by `npm test`'s pretest already; this covers `npx jest test/browser` after a source change.
  ensurePortalBuilt();
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const [sluice, receiver, browser] = await Promise.all([
    // One quick retry: a failing endpoint's delivery ends (failed) within a second or two, so recover has
    // something to re-send; endpoints that answer 200 never see it.
    startSluice({ port: 0, retryScheduleSeconds: [1], allowPrivateNetworks: true, logLevel: 'ERROR', ...options }),
    startReceiver(),
    launchChromium(),
  ]);
  const admin = new Svix(sluice.adminToken, { serverUrl: sluice.url });
  return {
    sluice,
    receiver,
    admin,
    browser,
    portalUrl: `${sluice.url}/portal`,
    stop: async () => {
      await browser.close();
      await receiver.close();
      await sluice.stop();
    },
  };
}

export const unique = (): string => Math.random().toString(36).slice(2, 10);
