/**
 * The API reference page (GET /api/v1/docs) in real Chromium against the local stack: Redoc, served
 * by the stack itself (no network), renders Sluice's own OpenAPI document without errors. The
 * screenshot goes to docs/screenshots/api-reference.png (README "OpenAPI").
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { startSluice, type RunningSluice } from '../../local/stack.ts';
import { launchChromium, openPage } from './support/browser.ts';

const SCREENSHOT_DIR = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

let sluice: RunningSluice;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  [sluice, browser] = await Promise.all([startSluice({ logLevel: 'ERROR' }), launchChromium()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sluice?.stop();
});

test('renders every tag and the publish operation, with no console errors and no request leaving loopback', async () => {
  const watched = await openPage(browser, { width: 1400, height: 1000 });
  const outside: string[] = [];
  watched.page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol !== 'data:' && url.protocol !== 'blob:' && url.hostname !== '127.0.0.1') outside.push(request.url());
  });
  try {
    await watched.page.goto(`${sluice.url}/api/v1/docs`);
    await watched.page.getByRole('heading', { name: /Sluice API/ }).first().waitFor({ timeout: 30_000 });
    for (const tag of ['Application', 'Endpoint', 'Message', 'Message Attempt', 'Operations']) {
      await watched.page.getByText(tag, { exact: true }).first().waitFor();
    }
    await watched.page.getByRole('heading', { name: 'Publish a message to every matching endpoint' }).waitFor();
    await watched.page.screenshot({ path: join(SCREENSHOT_DIR, 'api-reference.png') });
    expect(watched.errors).toEqual([]);
    expect(outside).toEqual([]);
  } finally {
    await watched.context.close();
  }
}, 90_000);
