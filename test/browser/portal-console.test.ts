/**
 * The operator console in real Chromium: the admin token is typed in and kept in the tab's memory only;
 * every application is listed, a message is found by eventId across applications, disabled endpoints
 * and queue depths are shown, and the operator can open any application's portal view (and send a
 * test event there) or hand a customer a link.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openPage, type WatchedPage } from './support/browser.ts';
import { createCatalog, routeExists } from './support/catalog.ts';
import { attemptRows, expectText, openEndpoint, unexpectedErrors } from './support/flows.ts';
import { SCREENSHOT_DIR, startPortalStack, unique, type PortalStack } from './support/portal-stack.ts';

let stack: PortalStack;
let watched: WatchedPage;
let page: Page;
const eventId = `order-${unique()}`;
let alpha: { id: string; hookUrl: string; msgId: string };
let bravoHook: string;

beforeAll(async () => {
  stack = await startPortalStack();
  await createCatalog(stack.admin);
  const a = await stack.admin.application.create({ name: 'Alpha Industries', uid: `alpha-${unique()}` });
  const b = await stack.admin.application.create({ name: 'Bravo Logistics', uid: `bravo-${unique()}` });
  const hookUrl = `${stack.receiver.url}/alpha`;
  bravoHook = `${stack.receiver.url}/bravo-retired`;
  await stack.admin.endpoint.create(a.id, { url: hookUrl, description: 'Alpha main' });
  await stack.admin.endpoint.create(b.id, { url: bravoHook, description: 'Retired', disabled: true });
  const msg = await stack.admin.message.create(a.id, { eventType: 'invoice.paid', eventId, payload: { invoice: 'in_42' } });
  // The same eventId in another application is another message: the search must find the right one.
  await stack.admin.message.create(b.id, { eventType: 'user.created', eventId: `${eventId}-b`, payload: { user: 'u' } });
  alpha = { id: a.id, hookUrl, msgId: msg.id };
  await stack.receiver.waitFor('/alpha', 1);
  watched = await openPage(stack.browser);
  page = watched.page;
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

test('the admin token is typed in once and kept in the tab memory only', async () => {
  await page.goto(`${stack.portalUrl}#/console`);
  await page.getByLabel('Admin token').fill('sluice_admin_not-the-token-at-all');
  await page.getByRole('button', { name: 'Open the console' }).click();
  await page.getByText('That is not the admin token.').waitFor();

  await page.getByLabel('Admin token').fill(stack.sluice.adminToken);
  await page.getByRole('button', { name: 'Open the console' }).click();
  await page.getByRole('heading', { name: 'Operator console' }).waitFor();
  await page.getByRole('list', { name: 'Applications' }).waitFor();
  const storage = (await page.evaluate('JSON.stringify([Object.entries(sessionStorage), Object.entries(localStorage), document.cookie])')) as string;
  expect(storage).not.toContain(stack.sluice.adminToken);
  expect(page.url()).not.toContain(stack.sluice.adminToken);
});

test('lists every application, and disabled endpoints and queue depths', async () => {
  const apps = page.getByRole('list', { name: 'Applications' });
  await apps.getByText('Alpha Industries').waitFor();
  await apps.getByText('Bravo Logistics').waitFor();
  const attention = page.getByRole('list', { name: 'Endpoints needing attention' });
  await attention.getByText(bravoHook).waitFor();
  expect(await attention.getByText(alpha.hookUrl).count()).toBe(0);

  const res = await fetch(`${stack.sluice.url}/api/v1/ops/queues`, { headers: { authorization: `Bearer ${stack.sluice.adminToken}` } });
  const queues = page.locator('#queues');
  if (res.status === 200) {
    await queues.getByRole('rowheader', { name: 'fanout', exact: true }).waitFor();
    await queues.getByRole('rowheader', { name: 'delivery', exact: true }).waitFor();
    await queues.getByRole('columnheader', { name: 'Dead letters' }).waitFor();
  } else {
    expect(res.status).toBe(404);
    await queues.getByText('Queue depths are not available on this server.').waitFor();
  }
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'console.png'), fullPage: true });
});

test('finds a message by eventId across applications and opens it', async () => {
  await page.getByLabel('Message id or event id').fill(eventId);
  await page.getByRole('button', { name: 'Search' }).click();
  const results = page.getByRole('list', { name: 'Search results' });
  await results.getByText(`${alpha.msgId} in Alpha Industries`).waitFor();
  expect(await results.getByRole('listitem').count()).toBe(1);
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'console-search.png'), fullPage: true });
  await results.getByRole('link').click();
  await expectText(page.locator('pre.payload'), (t) => t.includes('in_42'));
  await expectText(attemptRows(page).first(), (t) => t.includes('Succeeded'));
});

test("opens an application's portal view, where the operator can send a test event", async () => {
  await page.getByRole('link', { name: '← Operator console' }).click();
  await page.getByRole('list', { name: 'Applications' }).getByRole('link', { name: /Alpha Industries/ }).click();
  await page.getByRole('heading', { name: 'Alpha Industries' }).waitFor();
  await openEndpoint(page, alpha.hookUrl);
  const endpointId = (await stack.admin.endpoint.list(alpha.id)).data[0]!.id;
  const available = await routeExists(() => stack.admin.endpoint.sendExample(alpha.id, endpointId, { eventType: 'invoice.paid' }));
  const before = stack.receiver.received.filter((r) => r.path === '/alpha').length;
  await page.getByRole('combobox', { name: 'Event type' }).selectOption('invoice.paid');
  await page.getByRole('button', { name: 'Send example' }).click();
  if (available) {
    await page.getByText(/^Sent msg_/).waitFor();
    // The example webhook reaches the receiver (the probe above sent one too), and its attempt shows up.
    await stack.receiver.waitFor('/alpha', before + 1);
    await expectText(page.locator('ul.attempts'), (t) => (t.match(/Succeeded/g) ?? []).length >= 3);
  } else {
    await page.getByText('Test events are not available on this server.').waitFor();
  }
});

test('hands a customer a link that opens their portal', async () => {
  await page.getByRole('link', { name: '← Operator console' }).click();
  const row = page.locator(`li[data-app-id="${alpha.id}"]`);
  await row.getByRole('button', { name: 'Customer link' }).click();
  const link = await row.getByRole('textbox').inputValue();
  expect(link).toMatch(new RegExp(`^${stack.portalUrl}#key=sluice_app_`));
  const customer = await openPage(stack.browser);
  await customer.page.goto(link);
  await customer.page.getByRole('heading', { name: 'Alpha Industries' }).waitFor();
  await customer.page.getByText('Alpha main').waitFor();
  await customer.context.close();
});

test('a reload forgets the admin token; the #admin= link npm start prints signs in and leaves the address bar', async () => {
  await page.reload();
  await page.getByLabel('Admin token').waitFor();
  const fresh = await openPage(stack.browser);
  await fresh.page.goto(`${stack.portalUrl}#admin=${stack.sluice.adminToken}`);
  await fresh.page.getByRole('heading', { name: 'Operator console' }).waitFor();
  expect(fresh.page.url()).toBe(`${stack.portalUrl}#/console`);
  expect(unexpectedErrors(fresh.errors)).toEqual([]);
  await fresh.context.close();
});

test('no console errors along the way', () => {
  // The browser logs the refused calls it was asked to make: the wrong token typed at first, and the
  // search's lookups in the applications that have no such message (a 404 each).
  const errors = unexpectedErrors(watched.errors)
    .filter((e) => !(e.includes('status of 401') && e.includes('/api/v1/app?limit=1')))
    .filter((e) => !(e.includes('status of 404') && e.includes(`/msg/${eventId}?`)));
  expect(errors).toEqual([]);
});
