/**
 * A customer in the portal, top level, real Chromium against the local stack: opens the link from
 * appPortalAccess, creates an endpoint pointing at a real receiver and picks event types, sees the
 * team's message and its attempt, reveals/copies/rotates the secret, resends, recovers, sends a test
 * event. Screenshots of each screen go to docs/screenshots/ (README "Portal").
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ApiException, Svix, Webhook } from 'svix';
import { openPage, type WatchedPage } from './support/browser.ts';
import { createCatalog } from './support/catalog.ts';
import {
  attemptRows,
  createEndpoint,
  expectText,
  openEndpoint,
  openMessage,
  openTab,
  recoverSinceYesterday,
  revealSecret,
  rotateSecret,
  unexpectedErrors,
} from './support/flows.ts';
import { SCREENSHOT_DIR, startPortalStack, unique, type PortalStack } from './support/portal-stack.ts';

let stack: PortalStack;
let watched: WatchedPage;
let page: Page;
let appId: string;
let hookUrl: string;
let endpointId: string;
let eventId: string;

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });

beforeAll(async () => {
  stack = await startPortalStack();
  await createCatalog(stack.admin);
  appId = (await stack.admin.application.create({ name: 'Acme Corp', uid: `acme-${unique()}` })).id;
  hookUrl = `${stack.receiver.url}/acme-hook`;
  watched = await openPage(stack.browser, { clipboardOrigin: stack.sluice.url });
  page = watched.page;
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

test('the appPortalAccess link opens the portal; the token leaves the address bar and lives in sessionStorage only', async () => {
  const { url, token } = await stack.admin.authentication.appPortalAccess(appId, {});
  expect(url.startsWith(`${stack.portalUrl}#`)).toBe(true);
  await page.goto(url);
  await page.getByRole('heading', { name: 'Acme Corp' }).waitFor();
  await page.getByText('No endpoints yet.').waitFor();
  expect(page.url()).not.toContain(token);
  expect(page.url()).toBe(`${stack.portalUrl}#/`);
  expect(await page.evaluate('JSON.stringify(sessionStorage)')).toContain(token);
  expect(await page.evaluate('localStorage.length')).toBe(0);
  await shot('portal-endpoints-empty');
});

test('creates an endpoint at the receiver with event types picked from the grouped catalog', async () => {
  await openTab(page, 'Endpoints');
  await page.getByRole('link', { name: 'Add endpoint' }).click();
  // The catalog is grouped by prefix, with descriptions, and the schema's example behind a disclosure.
  await page.getByRole('heading', { name: 'invoice', exact: true }).waitFor();
  await page.getByRole('heading', { name: 'user', exact: true }).waitFor();
  await page.getByText('An invoice was paid').waitFor();
  await page.getByText('Schema and example').click();
  await page.getByText('"in_example"').first().waitFor();
  await shot('portal-endpoint-form');

  endpointId = await createEndpoint(page, { url: hookUrl, description: 'Production receiver', eventTypes: ['invoice.paid', 'invoice.failed'] });
  const saved = await stack.admin.endpoint.get(appId, endpointId);
  expect(saved.url).toBe(hookUrl);
  expect(saved.description).toBe('Production receiver');
  expect([...(saved.eventTypes ?? [])].sort()).toEqual(['invoice.failed', 'invoice.paid']);
});

test('the team publishes through the API; the message and its attempt appear in the logs', async () => {
  eventId = `evt-${unique()}`;
  await stack.admin.message.create(appId, { eventType: 'invoice.paid', eventId, payload: { invoice: 'in_1', amount: 4200 } });
  await stack.receiver.waitFor('/acme-hook', 1);

  await openEndpoint(page, hookUrl);
  // The attempt log loads when the page opens; the delivery happened already.
  const row = attemptRows(page).first();
  await expectText(row, (t) => t.includes('Succeeded') && t.includes('HTTP 200'));
  await row.locator('summary').click();
  await row.getByText('ok', { exact: true }).waitFor();
  await shot('portal-endpoint-detail');

  await openMessage(page, eventId);
  await expectText(page.locator('pre.payload'), (t) => t.includes('"invoice": "in_1"'));
  await expectText(attemptRows(page).first(), (t) => t.includes('Succeeded') && t.includes('HTTP 200'));
  await shot('portal-message-detail');
  await openTab(page, 'Messages');
  await page.getByRole('link', { name: new RegExp(eventId) }).waitFor();
  await shot('portal-message-log');
});

test('reveals, copies and rotates the signing secret; webhooks are then signed with the new one', async () => {
  await openEndpoint(page, hookUrl);
  const secret = await revealSecret(page);
  expect(secret).toBe((await stack.admin.endpoint.getSecret(appId, endpointId)).key);
  await page.getByRole('button', { name: 'Copy' }).click();
  await page.getByText('Copied to the clipboard.').waitFor();
  expect(await page.evaluate('navigator.clipboard.readText()')).toBe(secret);
  await page.getByText('How to verify a webhook').click();
  await page.getByLabel('Language').selectOption('python');
  await page.getByText('from svix.webhooks import Webhook').waitFor();
  await shot('portal-secret');

  const rotated = await rotateSecret(page, secret);
  expect(rotated).toBe((await stack.admin.endpoint.getSecret(appId, endpointId)).key);
  const before = stack.receiver.received.filter((r) => r.path === '/acme-hook').length;
  await stack.admin.message.create(appId, { eventType: 'invoice.paid', payload: { invoice: 'in_2' } });
  const hit = (await stack.receiver.waitFor('/acme-hook', before + 1))[before]!;
  const headers = Object.fromEntries(Object.entries(hit.headers).map(([k, v]) => [k, String(v)]));
  expect(() => new Webhook(rotated).verify(hit.body, headers)).not.toThrow();
  // Both secrets sign during the grace period.
  expect(() => new Webhook(secret).verify(hit.body, headers)).not.toThrow();
});

test('resends a message from its page; the manual attempt appears without a reload', async () => {
  await openMessage(page, eventId);
  const before = stack.receiver.received.filter((r) => r.path === '/acme-hook').length;
  await page.getByRole('button', { name: `Resend to ${hookUrl}` }).click();
  const hits = await stack.receiver.waitFor('/acme-hook', before + 1);
  expect(hits[before]!.body).toContain('in_1');
  await expectText(page.locator('ul.attempts'), (t) => t.includes('Manual'));
});

test('recovers every failed message since a date', async () => {
  const failingUrl = `${stack.receiver.url}/acme-flaky`;
  // Both scheduled attempts fail (the stack retries once, after 1 s), then the endpoint recovers.
  stack.receiver.script('/acme-flaky', [503, 503, 200]);
  await createEndpoint(page, { url: failingUrl, description: 'Flaky', eventTypes: [] });
  await stack.admin.message.create(appId, { eventType: 'invoice.failed', payload: { invoice: 'in_3' } });
  await stack.receiver.waitFor('/acme-flaky', 2);
  await page.reload();
  await expectText(page.locator('ul.attempts'), (t) => (t.match(/HTTP 503/g) ?? []).length === 2);

  await recoverSinceYesterday(page);
  await stack.receiver.waitFor('/acme-flaky', 3);
  await expectText(page.locator('ul.attempts'), (t) => t.includes('Succeeded'));
  await shot('portal-recover');
});

test("filters the message log by event type: the API is asked for that type (event_types), and only its messages are listed", async () => {
  const run = unique();
  const signup = `evt-signup-${run}`;
  const paid = `evt-paid-${run}`;
  await stack.admin.message.create(appId, { eventType: 'user.created', eventId: signup, payload: { user: 'u_1' } });
  await stack.admin.message.create(appId, { eventType: 'invoice.paid', eventId: paid, payload: { invoice: 'in_4' } });
  await openTab(page, 'Messages');
  const log = page.getByRole('list', { name: 'Messages' });
  const rows = log.getByRole('listitem');
  const typesListed = async (): Promise<string[]> => [...new Set(await log.locator('code').allInnerTexts())].sort();
  await log.getByRole('link', { name: new RegExp(paid) }).waitFor();
  expect(await typesListed()).toEqual(['invoice.failed', 'invoice.paid', 'user.created']);

  const messagesAsked = (type: string | null) =>
    page.waitForResponse(
      (res) => {
        const url = new URL(res.url());
        return url.pathname === `/api/v1/app/${appId}/msg` && url.searchParams.get('event_types') === type;
      },
      { timeout: 10_000 },
    );
  const filters = page.getByRole('form', { name: 'Filters' });
  const asked = messagesAsked('user.created');
  await filters.getByLabel('Event type').fill('user.created');
  await filters.getByLabel('Event type').press('Enter');
  const answer = (await (await asked).json()) as { data: { id: string; eventType: string }[] };
  // The server did the filtering: its answer holds that type only, and the page lists exactly that answer.
  expect(answer.data.map((m) => m.eventType)).toEqual(['user.created']);
  await expectText(log, (t) => t.includes(signup) && !t.includes(paid) && !t.includes('invoice.'));
  expect(await typesListed()).toEqual(['user.created']);
  expect(await rows.allInnerTexts()).toEqual([expect.stringContaining(signup)]);
  const expected = (await stack.admin.message.list(appId, { eventTypes: ['user.created'] })).data.map((m) => m.id);
  expect(await log.getByRole('link').evaluateAll((links) => links.map((a) => (a as unknown as { hash: string }).hash.split('/').at(-1)))).toEqual(expected);

  // Another type, and no type: the list follows.
  const askedFailed = messagesAsked('invoice.failed');
  await filters.getByLabel('Event type').fill('invoice.failed');
  await filters.getByLabel('Event type').press('Enter');
  expect((await (await askedFailed).json()).data.map((m: { eventType: string }) => m.eventType)).toEqual(['invoice.failed']);
  await expectText(log, (t) => t.includes('invoice.failed') && !t.includes('invoice.paid') && !t.includes(signup));
  expect(await typesListed()).toEqual(['invoice.failed']);

  // A type nothing was published as: the empty state says the filter is why.
  const askedNone = messagesAsked('user.deleted');
  await filters.getByLabel('Event type').fill('user.deleted');
  await filters.getByLabel('Event type').press('Enter');
  expect((await (await askedNone).json()).data).toEqual([]);
  await page.getByText('No messages match these filters.').waitFor();
  expect(await log.count()).toBe(0);

  const askedAll = messagesAsked(null);
  await filters.getByLabel('Event type').fill('');
  await filters.getByLabel('Event type').press('Enter');
  await askedAll;
  await expectText(log, (t) => t.includes(signup) && t.includes(paid));
  expect(await typesListed()).toEqual(['invoice.failed', 'invoice.paid', 'user.created']);
});

test('send a test event: the panel says what the server answers a customer (send-example is admin-only in Svix)', async () => {
  await openEndpoint(page, hookUrl);
  const { token } = await stack.admin.authentication.appPortalAccess(appId, {});
  const asCustomer = new Svix(token, { serverUrl: stack.sluice.url });
  let answer: number;
  try {
    await asCustomer.endpoint.sendExample(appId, endpointId, { eventType: 'invoice.paid' });
    answer = 200;
  } catch (error) {
    if (!(error instanceof ApiException)) throw error;
    answer = error.code;
  }
  const attemptsBefore = await attemptRows(page).count();
  await page.getByRole('combobox', { name: 'Event type' }).selectOption('invoice.paid');
  await page.getByRole('button', { name: 'Send example' }).click();
  if (answer === 200) {
    await page.getByText(/^Sent msg_/).waitFor();
    // The log watches for the new attempt: no reload.
    await page.waitForFunction(`document.querySelectorAll('[data-attempt-id]').length > ${attemptsBefore}`);
  } else {
    expect([403, 404]).toContain(answer);
    await page.getByText(answer === 403 ? "Sending test events needs the operator's access on this server." : 'Test events are not available on this server.').waitFor();
  }
});

test('works at phone width without horizontal scrolling', async () => {
  await page.setViewportSize({ width: 375, height: 800 });
  await openEndpoint(page, hookUrl);
  expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
  await shot('portal-phone');
  await page.setViewportSize({ width: 1200, height: 900 });
});

test('no console errors along the way', () => {
  expect(unexpectedErrors(watched.errors)).toEqual([]);
});
