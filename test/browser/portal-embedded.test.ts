/**
 * The portal inside an iframe on another local origin, as a team embeds it in its own product (and as
 * svix-react's <AppPortal url={…}/> hosts it): the same customer flows as the top-level tests, the
 * iframe-resizer height messages, Svix's theming parameters, and frame-ancestors refusing an origin the
 * operator did not list.
 */
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { Webhook } from 'svix';
import { FRAME_ANCESTORS_ENV } from '../../portal/serving.ts';
import { openPage, type WatchedPage } from './support/browser.ts';
import { createCatalog } from './support/catalog.ts';
import {
  attemptRows,
  createEndpoint,
  expectText,
  openEndpoint,
  openMessage,
  recoverSinceYesterday,
  revealSecret,
  rotateSecret,
  unexpectedErrors,
} from './support/flows.ts';
import { startHostPage, withTheme, type HostPage } from './support/host-page.ts';
import { SCREENSHOT_DIR, startPortalStack, unique, type PortalStack } from './support/portal-stack.ts';

let stack: PortalStack;
let host: HostPage;
let strangerHost: HostPage;
let watched: WatchedPage;
let page: Page;
let frame: FrameLocator;
let appId: string;
let hookUrl: string;
const previousAncestors = process.env[FRAME_ANCESTORS_ENV];

// The few browser-side shapes these callbacks touch (the repo's tsconfig has no DOM library).
type Styled = { getComputedStyle(el: unknown): { backgroundColor: string; fontFamily: string } };

beforeAll(async () => {
  [host, strangerHost] = await Promise.all([startHostPage(), startHostPage()]);
  // The operator lists the product's origin; the local front reads the setting when it starts.
  process.env[FRAME_ANCESTORS_ENV] = host.origin;
  stack = await startPortalStack();
  await createCatalog(stack.admin);
  appId = (await stack.admin.application.create({ name: 'Embedded Co', uid: `embedded-${unique()}` })).id;
  hookUrl = `${stack.receiver.url}/embedded`;
  const { url } = await stack.admin.authentication.appPortalAccess(appId, {});
  watched = await openPage(stack.browser);
  page = watched.page;
  await page.goto(host.urlFor(withTheme(url, { primaryColor: '#ff5500', darkMode: 'true', fontFamily: 'Georgia' })));
  frame = page.frameLocator('#portal');
  await frame.getByRole('heading', { name: 'Embedded Co' }).waitFor();
}, 120_000);

afterAll(async () => {
  if (previousAncestors === undefined) delete process.env[FRAME_ANCESTORS_ENV];
  else process.env[FRAME_ANCESTORS_ENV] = previousAncestors;
  await stack?.stop();
  await host?.close();
  await strangerHost?.close();
});

test('the frame reports its height, and the host resizes it', async () => {
  await page.waitForFunction('window.heights.length > 0');
  const heights = (await page.evaluate('window.heights')) as { origin: string; height: number }[];
  expect(heights.every((h) => h.origin === stack.sluice.url && h.height > 0)).toBe(true);
  // The portal reports again as its content loads: compare the frame with the latest report, read
  // together in the page, until they agree (a mismatch that never settles fails the wait).
  await page.waitForFunction(
    `Math.round(document.querySelector('#portal').getBoundingClientRect().height) === window.heights.at(-1).height`,
    undefined,
    { timeout: 10_000 },
  );
});

test("Svix's theming parameters apply: primaryColor, darkMode and fontFamily", async () => {
  const addButton = frame.getByRole('link', { name: 'Add endpoint' });
  expect(await addButton.evaluate((el) => (globalThis as unknown as Styled).getComputedStyle(el).backgroundColor)).toBe('rgb(255, 85, 0)');
  expect(await frame.locator('html').getAttribute('class')).toContain('dark');
  expect(await frame.locator('body').evaluate((el) => (globalThis as unknown as Styled).getComputedStyle(el).fontFamily)).toMatch(/^Georgia/);
});

test('creates an endpoint, sees the published message and its attempt', async () => {
  const endpointId = await createEndpoint(frame, { url: hookUrl, description: 'Embedded receiver', eventTypes: ['invoice.paid'] });
  expect((await stack.admin.endpoint.get(appId, endpointId)).eventTypes).toEqual(['invoice.paid']);
  // The frame grew with the form and the endpoint page: later heights were reported.
  await page.waitForFunction('new Set(window.heights.map((h) => h.height)).size > 1');

  await stack.admin.message.create(appId, { eventType: 'invoice.paid', eventId: 'evt-embedded', payload: { invoice: 'in_e' } });
  await stack.receiver.waitFor('/embedded', 1);
  await openEndpoint(frame, hookUrl);
  await expectText(attemptRows(frame).first(), (t) => t.includes('Succeeded') && t.includes('HTTP 200'));
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'portal-embedded.png'), fullPage: true });
});

test('reveals and rotates the secret', async () => {
  const secret = await revealSecret(frame);
  expect(secret).toMatch(/^whsec_/);
  const rotated = await rotateSecret(frame, secret);
  const endpointId = (await stack.admin.endpoint.list(appId)).data[0]!.id;
  expect(rotated).toBe((await stack.admin.endpoint.getSecret(appId, endpointId)).key);
});

test('resends a message', async () => {
  await openMessage(frame, 'evt-embedded');
  await expectText(frame.locator('pre.payload'), (t) => t.includes('in_e'));
  const before = stack.receiver.received.filter((r) => r.path === '/embedded').length;
  await frame.getByRole('button', { name: `Resend to ${hookUrl}` }).click();
  const hit = (await stack.receiver.waitFor('/embedded', before + 1))[before]!;
  const secret = (await stack.admin.endpoint.getSecret(appId, (await stack.admin.endpoint.list(appId)).data[0]!.id)).key;
  const headers = Object.fromEntries(Object.entries(hit.headers).map(([k, v]) => [k, String(v)]));
  expect(() => new Webhook(secret).verify(hit.body, headers)).not.toThrow();
  await expectText(frame.locator('ul.attempts'), (t) => t.includes('Manual'));
});

test('recovers failed messages since a date', async () => {
  const flaky = `${stack.receiver.url}/embedded-flaky`;
  stack.receiver.script('/embedded-flaky', [500, 500, 200]);
  await createEndpoint(frame, { url: flaky, description: 'Flaky', eventTypes: ['invoice.failed'] });
  await stack.admin.message.create(appId, { eventType: 'invoice.failed', payload: { invoice: 'in_f' } });
  await stack.receiver.waitFor('/embedded-flaky', 2);
  await openEndpoint(frame, flaky);
  await expectText(frame.locator('ul.attempts'), (t) => (t.match(/HTTP 500/g) ?? []).length === 2);
  await recoverSinceYesterday(frame);
  await stack.receiver.waitFor('/embedded-flaky', 3);
  await expectText(frame.locator('ul.attempts'), (t) => t.includes('Succeeded'));
});

test('a read-only link in the frame shows no controls that change anything', async () => {
  const { url } = await stack.admin.authentication.appPortalAccess(appId, { readOnly: true });
  const ro = await openPage(stack.browser);
  await ro.page.goto(host.urlFor(url));
  const roFrame = ro.page.frameLocator('#portal');
  await roFrame.getByText('Read-only', { exact: true }).waitFor();
  await openEndpoint(roFrame, hookUrl);
  for (const name of ['Disable', 'Delete', 'Rotate', 'Send example', 'Recover']) {
    expect(await roFrame.getByRole('button', { name, exact: true }).count()).toBe(0);
  }
  await ro.context.close();
});

test('a revoked link in the frame says the link expired', async () => {
  const other = await stack.admin.application.create({ name: 'Short-lived' });
  const { url } = await stack.admin.authentication.appPortalAccess(other.id, {});
  await stack.admin.authentication.expireAll(other.id, {});
  const dead = await openPage(stack.browser);
  await dead.page.goto(host.urlFor(url));
  await dead.page.frameLocator('#portal').getByRole('heading', { name: 'This link has expired' }).waitFor();
  await dead.context.close();
});

test('an origin the operator did not list cannot frame the portal', async () => {
  const { url } = await stack.admin.authentication.appPortalAccess(appId, {});
  const stranger = await openPage(stack.browser);
  await stranger.page.goto(strangerHost.urlFor(url), { waitUntil: 'load' });
  const child = stranger.page.mainFrame().childFrames()[0]!;
  // Chrome swaps a frame refused by frame-ancestors for its error page; the portal never runs there.
  expect(child.url()).toMatch(/^chrome-error:/);
  expect(await stranger.page.evaluate('window.heights.length')).toBe(0);
  await stranger.context.close();
});

test('no console errors in the embedded portal', () => {
  expect(unexpectedErrors(watched.errors)).toEqual([]);
});
