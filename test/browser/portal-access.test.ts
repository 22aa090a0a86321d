/**
 * Who sees what, in real Chromium: a read-only link and a view-only capability set hide every control
 * they may not use (and the API still refuses the calls, asked from the page with the page's own
 * token); a link for app A never shows app B; a revoked, expired or bogus link says "link expired";
 * the page runs under a CSP without inline scripts, and no served file embeds a token.
 */
import { request } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Page } from 'playwright-core';
import { AppPortalCapability, Svix } from 'svix';
import { createDynamoStores } from '../../functions/adapters/dynamo/index.ts';
import { appPortalUrl } from '../../functions/api/portal-link.ts';
import { issueAppToken } from '../../functions/core/auth/app-tokens.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators/credentials.ts';
import { openPage, type WatchedPage } from './support/browser.ts';
import { createCatalog } from './support/catalog.ts';
import { expectText, openEndpoint, openTab, unexpectedErrors } from './support/flows.ts';
import { startPortalStack, unique, type PortalStack } from './support/portal-stack.ts';

let stack: PortalStack;

interface TestApp {
  id: string;
  uid: string;
  name: string;
  hookUrl: string;
  endpointId: string;
  msgId: string;
  eventId: string;
}

let appA: TestApp;
let appB: TestApp;

async function appWithEndpoint(name: string): Promise<TestApp> {
  const app = await stack.admin.application.create({ name, uid: `${name.toLowerCase()}-${unique()}` });
  const hookUrl = `${stack.receiver.url}/${name.toLowerCase()}-hook`;
  const endpoint = await stack.admin.endpoint.create(app.id, { url: hookUrl, description: `${name} receiver` });
  const eventId = `evt-${name}`;
  const msg = await stack.admin.message.create(app.id, { eventType: 'invoice.paid', eventId, payload: { invoice: name } });
  return { id: app.id, uid: app.uid!, name, hookUrl, endpointId: endpoint.id, msgId: msg.id, eventId };
}

/** Everything of an app that must never reach a page opened for another one: name, URL, ids, payload. */
const traces = (app: TestApp): string[] => [app.name, app.hookUrl, `${app.name.toLowerCase()}-hook`, app.eventId, app.id, app.uid, app.endpointId, app.msgId];

/** The page's rendered text and markup (attributes such as hrefs included) hold none of `app`'s traces. */
async function expectNoTraceOf(page: Page, app: TestApp): Promise<void> {
  const text = await page.locator('body').innerText();
  const html = await page.content();
  for (const trace of traces(app)) {
    expect({ trace, inText: text.includes(trace), inMarkup: html.includes(trace) }).toEqual({ trace, inText: false, inMarkup: false });
  }
}

/** The page's own fetch, with the token it keeps in sessionStorage: what the browser may really do. */
async function fetchAsPage(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  const script = `(async () => {
    const { token } = JSON.parse(sessionStorage.getItem('sluice.portal.session'));
    const res = await fetch(${JSON.stringify(path)}, {
      method: ${JSON.stringify(method)},
      headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' },
      body: ${body === undefined ? 'undefined' : JSON.stringify(JSON.stringify(body))},
    });
    return { status: res.status, text: await res.text() };
  })()`;
  return page.evaluate(script) as Promise<{ status: number; text: string }>;
}

async function fetchWithPageToken(page: Page, method: string, path: string, body?: unknown): Promise<number> {
  return (await fetchAsPage(page, method, path, body)).status;
}

function rawGetStatus(base: string, path: string): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  stack = await startPortalStack();
  await createCatalog(stack.admin);
  [appA, appB] = await Promise.all([appWithEndpoint('Alpha'), appWithEndpoint('Bravo')]);
  await Promise.all([stack.receiver.waitFor('/alpha-hook', 1), stack.receiver.waitFor('/bravo-hook', 1)]);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('a read-only link', () => {
  let watched: WatchedPage;

  beforeAll(async () => {
    watched = await openPage(stack.browser);
    const { url } = await stack.admin.authentication.appPortalAccess(appA.id, { readOnly: true });
    await watched.page.goto(url);
    await watched.page.getByRole('heading', { name: 'Alpha' }).waitFor();
  });

  afterAll(() => watched.context.close());

  test('shows the data and no control that changes anything', async () => {
    const { page } = watched;
    await page.getByText('Read-only', { exact: true }).waitFor();
    await page.getByRole('link', { name: new RegExp(appA.hookUrl) }).waitFor();
    expect(await page.getByRole('link', { name: 'Add endpoint' }).count()).toBe(0);
    await openEndpoint(page, appA.hookUrl);
    await expectText(page.locator('[data-attempt-id]'), (t) => t.includes('Succeeded'));
    for (const name of ['Edit', 'Disable', 'Delete', 'Rotate', 'Send example', 'Recover']) {
      expect(await page.getByRole('button', { name, exact: true }).count()).toBe(0);
    }
    expect(await page.getByRole('link', { name: 'Edit', exact: true }).count()).toBe(0);
    // Viewing the secret is a viewing capability, and a read-only token keeps it.
    await page.getByRole('button', { name: 'Reveal' }).waitFor();
    await openTab(page, 'Messages');
    await page.getByRole('link', { name: /evt-Alpha/ }).click();
    await page.getByRole('heading', { name: 'Payload' }).waitFor();
    expect(await page.getByRole('button', { name: /^Resend to/ }).count()).toBe(0);
  });

  test('and the API refuses every write made with its token from the page', async () => {
    const { page } = watched;
    const base = `/api/v1/app/${appA.id}`;
    expect(await fetchWithPageToken(page, 'POST', `${base}/endpoint`, { url: `${stack.receiver.url}/x` })).toBe(403);
    expect(await fetchWithPageToken(page, 'PATCH', `${base}/endpoint/${appA.endpointId}`, { disabled: true })).toBe(403);
    expect(await fetchWithPageToken(page, 'DELETE', `${base}/endpoint/${appA.endpointId}`)).toBe(403);
    expect(await fetchWithPageToken(page, 'POST', `${base}/endpoint/${appA.endpointId}/secret/rotate`, {})).toBe(403);
    expect(await fetchWithPageToken(page, 'GET', `${base}/endpoint/${appA.endpointId}`)).toBe(200);
    expect((await stack.admin.endpoint.get(appA.id, appA.endpointId)).disabled).not.toBe(true);
  });
});

test('a link with the ViewBase capability only hides the signing secret too', async () => {
  const { page, context } = await openPage(stack.browser);
  const { url } = await stack.admin.authentication.appPortalAccess(appA.id, { capabilities: [AppPortalCapability.ViewBase] });
  await page.goto(url);
  await openEndpoint(page, appA.hookUrl);
  await page.getByRole('heading', { name: 'Message attempts' }).waitFor();
  expect(await page.getByRole('heading', { name: 'Signing secret' }).count()).toBe(0);
  expect(await fetchWithPageToken(page, 'GET', `/api/v1/app/${appA.id}/endpoint/${appA.endpointId}/secret`)).toBe(403);
  await context.close();
});

describe('a link for app A never shows app B', () => {
  let watched: WatchedPage;

  beforeAll(async () => {
    watched = await openPage(stack.browser);
    const { url } = await stack.admin.authentication.appPortalAccess(appA.id, {});
    await watched.page.goto(url);
    await watched.page.getByRole('heading', { name: 'Alpha' }).waitFor();
  });

  afterAll(() => watched.context.close());

  test("its endpoints list and message log list its own app's data only", async () => {
    const { page } = watched;
    const endpoints = page.getByRole('list', { name: 'Endpoints' }).getByRole('listitem');
    await endpoints.first().waitFor();
    expect(await endpoints.allInnerTexts()).toEqual([expect.stringContaining(appA.hookUrl)]);
    await expectNoTraceOf(page, appB);

    await openTab(page, 'Messages');
    const messages = page.getByRole('list', { name: 'Messages' }).getByRole('listitem');
    await messages.first().waitFor();
    expect(await messages.allInnerTexts()).toEqual([expect.stringContaining(appA.eventId)]);
    await expectNoTraceOf(page, appB);

    await page.getByRole('link', { name: new RegExp(appA.eventId) }).click();
    await expectText(page.locator('pre.payload'), (t) => t.includes('"invoice": "Alpha"'));
    await expectNoTraceOf(page, appB);
  });

  test("the SPA's routes to the other app's endpoint and message ids say not found, and show none of its data", async () => {
    const { page } = watched;
    // The same routes with its own ids work: a not-found below is about the ids, not the routes.
    await page.goto(`${stack.portalUrl}#/endpoints/${appA.endpointId}`);
    await page.getByRole('heading', { name: appA.hookUrl }).waitFor();
    await page.goto(`${stack.portalUrl}#/messages/${appA.msgId}`);
    await page.getByRole('heading', { name: 'Payload' }).waitFor();

    for (const route of [`endpoints/${appB.endpointId}`, `endpoints/${appB.endpointId}/edit`, `messages/${appB.msgId}`]) {
      // From its own list each time, so the error below is this route's, not the last one's.
      await page.goto(`${stack.portalUrl}#/endpoints`);
      await page.getByRole('link', { name: new RegExp(appA.hookUrl) }).waitFor();
      await page.goto(`${stack.portalUrl}#/${route}`);
      await expectText(page.getByRole('alert'), (t) => t.includes('Entity not found'));
      // The page is still Alpha's, and nothing of Bravo's came with the error.
      await page.getByRole('heading', { name: 'Alpha' }).waitFor();
      expect(await page.getByRole('heading', { name: appB.hookUrl }).count()).toBe(0);
      expect(await page.getByRole('heading', { name: 'Payload' }).count()).toBe(0);
      expect(await page.getByLabel('Endpoint URL').count()).toBe(0);
      await expectNoTraceOf(page, appB);
    }
  });

  test("and the API answers 404 for every one of the other app's resources, asked with its token from the page", async () => {
    const { page } = watched;
    const other = `/api/v1/app/${appB.id}`;
    const reads = [
      other,
      `/api/v1/app/${appB.uid}`,
      `${other}/endpoint`,
      `${other}/endpoint/${appB.endpointId}`,
      `${other}/endpoint/${appB.endpointId}/secret`,
      `${other}/msg`,
      `${other}/msg/${appB.msgId}`,
      `${other}/attempt/endpoint/${appB.endpointId}`,
      `${other}/attempt/msg/${appB.msgId}`,
      // The other app's ids under its own app (what the SPA's routes above ask for).
      `/api/v1/app/${appA.id}/endpoint/${appB.endpointId}`,
      `/api/v1/app/${appA.id}/msg/${appB.msgId}`,
      `/api/v1/app/${appA.id}/attempt/endpoint/${appB.endpointId}`,
    ];
    for (const path of reads) {
      const res = await fetchAsPage(page, 'GET', path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      for (const trace of traces(appB)) expect(res.text).not.toContain(trace);
    }
    expect(await fetchWithPageToken(page, 'PATCH', `${other}/endpoint/${appB.endpointId}`, { disabled: true })).toBe(404);
    expect(await fetchWithPageToken(page, 'POST', `${other}/endpoint`, { url: `${stack.receiver.url}/intruder` })).toBe(404);
    // The token itself works, on its own app.
    expect(await fetchWithPageToken(page, 'GET', `/api/v1/app/${appA.id}/endpoint/${appA.endpointId}`)).toBe(200);
    expect((await stack.admin.endpoint.get(appB.id, appB.endpointId)).disabled).not.toBe(true);
    expect((await stack.admin.endpoint.list(appB.id)).data.map((e) => e.url)).toEqual([appB.hookUrl]);
  });

  test("a link for A whose fragment names B's app shows none of B's data", async () => {
    const { token } = await stack.admin.authentication.appPortalAccess(appA.id, {});
    const { page, context } = await openPage(stack.browser);
    await page.goto(`${stack.portalUrl}#key=${token}&app=${appB.id}`);
    await expectText(page.getByRole('alert'), (t) => t.includes('Entity not found'));
    expect(await page.getByRole('heading', { name: 'Bravo' }).count()).toBe(0);
    await openTab(page, 'Messages');
    await expectText(page.getByRole('alert'), (t) => t.includes('Entity not found'));
    await page.goto(`${stack.portalUrl}#/endpoints/${appB.endpointId}`);
    await expectText(page.getByRole('alert'), (t) => t.includes('Entity not found'));
    await expectNoTraceOf(page, appB);
    await context.close();
  });
});

describe('a revoked, expired or bogus link says "link expired"', () => {
  /** The "link expired" page, top level, with nothing of the app's and no session left in the tab. */
  async function expectExpired(page: Page): Promise<void> {
    await page.getByRole('heading', { name: 'This link has expired' }).waitFor();
    await page.getByText('Ask for a new link from the service that sent you here.').waitFor();
    expect(await page.getByRole('navigation', { name: 'Sections' }).count()).toBe(0);
    expect(await page.getByRole('list').count()).toBe(0);
    await expectNoTraceOf(page, appA);
    expect(await page.evaluate(`sessionStorage.getItem('sluice.portal.session')`)).toBeNull();
  }

  test('a link revoked (logged out) before it is opened', async () => {
    const { url, token } = await stack.admin.authentication.appPortalAccess(appA.id, {});
    await new Svix(token, { serverUrl: stack.sluice.url }).authentication.logout();
    const { page, context } = await openPage(stack.browser);
    await page.goto(url);
    await expectExpired(page);
    await context.close();
  });

  test('a link revoked while its page is open: the next thing the page loads says so, and back shows no data', async () => {
    const { url, token } = await stack.admin.authentication.appPortalAccess(appA.id, {});
    const { page, context } = await openPage(stack.browser);
    await page.goto(url);
    await page.getByRole('link', { name: new RegExp(appA.hookUrl) }).waitFor();
    await new Svix(token, { serverUrl: stack.sluice.url }).authentication.logout();
    await openTab(page, 'Messages');
    await expectExpired(page);
    await page.goBack();
    await expectExpired(page);
    await page.reload();
    // The session is gone from the tab: a reload asks for a link instead of retrying the dead token.
    await page.getByRole('heading', { name: 'Webhooks portal' }).waitFor();
    await expectNoTraceOf(page, appA);
    await context.close();
  });

  test('an expired link', async () => {
    // Issued as the API does, but two hours ago for one hour: only the server's expiry check stops it.
    const client = new DynamoDBClient({ endpoint: stack.sluice.endpoints.dynamodb, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    const stores = createDynamoStores(client, stack.sluice.tableName);
    const input = { expirySeconds: 3_600, capabilities: null, readOnly: false, featureFlags: [], sessionId: null };
    const { token, record } = await issueAppToken(stores, appA.id, input, new Date(Date.now() - 2 * 3_600_000));
    client.destroy();
    const { page, context } = await openPage(stack.browser);
    await page.goto(appPortalUrl(stack.sluice.url, token, record));
    await expectExpired(page);
    await context.close();
  });

  test('a made-up token, of the right shape or not', async () => {
    for (const bogus of [`sluice_app_${'A'.repeat(43)}`, 'not-a-token']) {
      const { page, context } = await openPage(stack.browser);
      await page.goto(`${stack.portalUrl}#key=${bogus}&app=${appA.id}`);
      await expectExpired(page);
      await context.close();
    }
  });
});

test('without a link the page says how to get in, and offers the operator console', async () => {
  const { page, context, errors } = await openPage(stack.browser);
  await page.goto(stack.portalUrl);
  await page.getByRole('heading', { name: 'Webhooks portal' }).waitFor();
  await page.getByRole('link', { name: 'open the operator console' }).click();
  await page.getByLabel('Admin token').waitFor();
  expect(unexpectedErrors(errors)).toEqual([]);
  await context.close();
});

describe('what the server sends', () => {
  test('the page has a CSP without inline scripts, frame-ancestors self, and no-referrer', async () => {
    const res = await fetch(stack.portalUrl);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    // Every <script> loads a file; none carries code.
    for (const [, attrs, body] of html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)) {
      expect(attrs).toMatch(/\ssrc="\.\/portal\/assets\/[^"]+\.js"/);
      expect(body!.trim()).toBe('');
    }
  });

  test('the browser enforces it: an injected inline script does not run', async () => {
    const { page, context } = await openPage(stack.browser);
    await page.goto(stack.portalUrl);
    await page.getByRole('heading', { name: 'Webhooks portal' }).waitFor();
    const ran = await page.evaluate(`new Promise((resolve) => {
      document.addEventListener('securitypolicyviolation', () => resolve(window.__inline === true ? 'ran' : 'blocked'));
      const s = document.createElement('script');
      s.textContent = 'window.__inline = true';
      document.body.appendChild(s);
    })`);
    expect(ran).toBe('blocked');
    await context.close();
  });

  test('no served file embeds a token, and the files are cached by content hash', async () => {
    const html = await (await fetch(stack.portalUrl)).text();
    const files = [...html.matchAll(/(?:src|href)="\.\/(portal\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(files.length).toBeGreaterThanOrEqual(2);
    const tokenShape = /sluice_(app|admin)_[A-Za-z0-9_-]{20,}/;
    expect(html).not.toMatch(tokenShape);
    expect(html).not.toContain(stack.sluice.adminToken);
    for (const file of files) {
      const res = await fetch(`${stack.sluice.url}/${file}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toContain('immutable');
      const text = await res.text();
      expect(text).not.toMatch(tokenShape);
      expect(text).not.toContain(stack.sluice.adminToken);
    }
    // A raw request line (fetch would normalise the dots away): nothing outside dist/portal/assets is served.
    for (const path of ['/portal/assets/../../package.json', '/portal/assets/%2e%2e/%2e%2e/%2e%2e/package.json', '/portal/index.html']) {
      expect(await rawGetStatus(stack.sluice.url, path)).toBe(404);
    }
  });
});
