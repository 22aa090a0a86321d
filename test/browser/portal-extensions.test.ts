/**
 * Sluice's two endpoint extensions in the portal, real Chromium against the local stack, as a customer
 * with the appPortalAccess link: ordered (FIFO) delivery and AWS-native destinations (an SQS queue and
 * the IAM role Sluice assumes). The svix SDK drops both fields, so every check of what was saved reads
 * the API raw with the admin token.
 */
import type { Locator, Page } from 'playwright-core';
import { adminApi } from '../support/admin-api.ts';
import { openPage, type WatchedPage } from './support/browser.ts';
import { createCatalog } from './support/catalog.ts';
import { endpointIdOnPage, escape, expectText, openEndpoint, openTab, unexpectedErrors } from './support/flows.ts';
import { startPortalStack, unique, type PortalStack } from './support/portal-stack.ts';

interface Destination {
  type: string;
  arn: string;
  roleArn: string;
  externalId: string;
  principalArn: string | null;
}

let stack: PortalStack;
let watched: WatchedPage;
let page: Page;
let appId: string;
const api = adminApi(() => ({ url: stack.sluice.url, adminToken: stack.sluice.adminToken }));
const run = unique();
const queueArn = `arn:aws:sqs:us-east-1:111122223333:orders-${run}`;
const roleArn = `arn:aws:iam::111122223333:role/sluice-delivery-${run}`;
let queueEndpointId: string;
let savedDestination: Destination;

const endpointPath = (id: string): string => `app/${appId}/endpoint/${id}`;

/** The input's HTML constraint validation, as the browser judges it. */
const validity = (input: Locator): Promise<{ valid: boolean; valueMissing: boolean }> =>
  input.evaluate((el) => {
    const { valid, valueMissing } = (el as unknown as { validity: { valid: boolean; valueMissing: boolean } }).validity;
    return { valid, valueMissing };
  });

async function startNewEndpoint(url: string): Promise<void> {
  await openTab(page, 'Endpoints');
  await page.getByRole('link', { name: 'Add endpoint' }).click();
  await page.getByLabel('Endpoint URL').fill(url);
}

beforeAll(async () => {
  stack = await startPortalStack();
  await createCatalog(stack.admin);
  appId = (await stack.admin.application.create({ name: 'Extensions Inc', uid: `ext-${run}` })).id;
  watched = await openPage(stack.browser, { clipboardOrigin: stack.sluice.url });
  page = watched.page;
  const { url } = await stack.admin.authentication.appPortalAccess(appId, {});
  await page.goto(url);
  await page.getByRole('heading', { name: 'Extensions Inc' }).waitFor();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

test('creates an ordered endpoint: the API has ordering "fifo", and its page and the list say so', async () => {
  const hookUrl = `${stack.receiver.url}/ordered-${run}`;
  await startNewEndpoint(hookUrl);
  await page.getByLabel('Description').fill('Ledger, in order');
  await page.getByRole('checkbox', { name: 'Ordered delivery (FIFO)' }).check();
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('heading', { name: hookUrl }).waitFor();
  const id = await endpointIdOnPage(page);

  const saved = await api('GET', endpointPath(id));
  expect(saved.status).toBe(200);
  expect({ ordering: saved.body.ordering, destination: saved.body.destination }).toEqual({ ordering: 'fifo', destination: null });
  await page.locator('.toolbar .badge', { hasText: 'Ordered (FIFO)' }).waitFor();

  await openTab(page, 'Endpoints');
  const row = page.getByRole('list', { name: 'Endpoints' }).getByRole('listitem').filter({ hasText: hookUrl });
  await row.waitFor();
  expect(await row.locator('.badge').allInnerTexts()).toEqual(['Enabled', 'Ordered']);
});

test('creates an SQS destination with a role: the API keeps the role; the page shows its external id and trust policy', async () => {
  await startNewEndpoint(`${stack.receiver.url}/not-yet-an-arn`);
  expect(await page.getByLabel('IAM role ARN').count()).toBe(0);
  await page.getByLabel('Endpoint URL').fill(queueArn);
  // The browser's own URL check (type="url") accepts the ARN, so the form can be sent.
  expect(await validity(page.getByLabel('Endpoint URL'))).toMatchObject({ valid: true });
  await page.getByText('AWS destination: messages are sent to this SQS queue').waitFor();
  // The role is required for an ARN: without it the browser does not send the form.
  await page.getByRole('button', { name: 'Create' }).click();
  expect(await validity(page.getByLabel('IAM role ARN'))).toMatchObject({ valid: false, valueMissing: true });
  expect(await page.getByRole('heading', { name: 'Add endpoint' }).count()).toBe(1);

  await page.getByLabel('IAM role ARN').fill(roleArn);
  await page.getByLabel('Description').fill('Orders queue');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('heading', { name: queueArn }).waitFor();
  queueEndpointId = await endpointIdOnPage(page);

  const saved = await api('GET', endpointPath(queueEndpointId));
  savedDestination = saved.body.destination as Destination;
  expect({ url: saved.body.url, type: savedDestination.type, arn: savedDestination.arn, roleArn: savedDestination.roleArn }).toEqual({
    url: queueArn,
    type: 'sqs',
    arn: queueArn,
    roleArn,
  });
  expect(savedDestination.externalId).toMatch(/^sluice-./);
  // The local stack names its delivery principal (SLUICE_DESTINATION_PRINCIPAL_ARN), as a deployed one does.
  expect(savedDestination.principalArn).toBe('arn:aws:iam::000000000000:role/sluice-local-delivery');

  const panel = page.getByRole('region', { name: 'AWS destination' });
  expect(await panel.locator('dl.facts').innerText()).toEqual(expect.stringContaining('SQS queue'));
  expect(await panel.locator('code.external-id').innerText()).toBe(savedDestination.externalId);
  expect(await panel.locator('code.principal').innerText()).toBe(savedDestination.principalArn);
  const policy = JSON.parse(await panel.locator('pre.trust-policy').innerText()) as {
    Statement: { Principal: { AWS: string }; Action: string; Condition: { StringEquals: Record<string, string> } }[];
  };
  expect(policy.Statement[0]).toEqual({
    Effect: 'Allow',
    Principal: { AWS: savedDestination.principalArn },
    Action: 'sts:AssumeRole',
    Condition: { StringEquals: { 'sts:ExternalId': savedDestination.externalId } },
  });
  await panel.getByRole('button', { name: 'Copy external id' }).click();
  await panel.getByText('Copied the external id to the clipboard.').waitFor();
  expect(await page.evaluate('navigator.clipboard.readText()')).toBe(savedDestination.externalId);

  await openTab(page, 'Endpoints');
  const row = page.getByRole('list', { name: 'Endpoints' }).getByRole('listitem').filter({ hasText: queueArn });
  await row.waitFor();
  expect(await row.locator('.badge').allInnerTexts()).toEqual(['Enabled', 'SQS']);
});

test("editing the destination's description keeps its role and external id", async () => {
  await openEndpoint(page, queueArn);
  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  await page.getByRole('heading', { name: 'Edit endpoint' }).waitFor();
  expect(await page.getByLabel('IAM role ARN').inputValue()).toBe(roleArn);
  await page.getByLabel('Description').fill('Orders queue (renamed)');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('heading', { name: queueArn }).waitFor();

  const saved = await api('GET', endpointPath(queueEndpointId));
  expect(saved.body.description).toBe('Orders queue (renamed)');
  expect(saved.body.destination).toEqual(savedDestination);
  await expectText(page.locator('#destination code.external-id'), (t) => t === savedDestination.externalId);
});

test('a role ARN the API refuses: its 422 message is shown at the role field, and no endpoint is created', async () => {
  const arn = `arn:aws:sqs:us-east-1:111122223333:refused-${run}`;
  await startNewEndpoint(arn);
  await page.getByLabel('IAM role ARN').fill('arn:aws:iam::111122223333:user/alice');
  const answered = page.waitForResponse((res) => res.request().method() === 'POST' && new URL(res.url()).pathname === `/api/v1/app/${appId}/endpoint`);
  await page.getByRole('button', { name: 'Create' }).click();
  const answer = await answered;
  expect(answer.status()).toBe(422);
  const detail = ((await answer.json()) as { detail: { loc: string[]; msg: string }[] }).detail;
  const roleMessage = detail.find((d) => d.loc.join('.') === 'body.destination.roleArn')?.msg;
  expect(roleMessage).toEqual(expect.any(String));

  const role = page.getByLabel('IAM role ARN');
  await page.locator('#roleArn-error').waitFor();
  expect(await page.locator('#roleArn-error').innerText()).toBe(roleMessage);
  expect({
    invalid: await role.getAttribute('aria-invalid'),
    describedBy: await role.getAttribute('aria-describedby'),
    focused: await page.evaluate("document.activeElement?.getAttribute('name')"),
  }).toEqual({ invalid: 'true', describedBy: 'roleArn-error', focused: 'roleArn' });
  // Nothing is misplaced: the URL field has no message, and the form says where to look.
  expect(await page.locator('#url-error').count()).toBe(0);
  await page.getByRole('alert').getByText('The endpoint was not saved: see the messages under the fields.').waitFor();

  const listed = await api('GET', `app/${appId}/endpoint?limit=50`);
  expect((listed.body.data as { url: string }[]).map((e) => e.url)).not.toContain(arn);
});

test('the destination page fits a phone screen', async () => {
  await page.setViewportSize({ width: 375, height: 800 });
  await openEndpoint(page, queueArn);
  await page.getByRole('region', { name: 'AWS destination' }).waitFor();
  expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
  await page.setViewportSize({ width: 1200, height: 900 });
});

test('no console errors along the way but the refused create', () => {
  const refused = new RegExp(`status of 422\\b.*\\(http://[^)]+/api/v1/app/${escape(appId)}/endpoint\\)$`);
  expect(unexpectedErrors(watched.errors).filter((e) => !refused.test(e))).toEqual([]);
});
