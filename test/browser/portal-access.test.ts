/**
 * Who sees what, in real Chromium: a read-only link and a view-only capability set hide every control
 * they may not use (and the API still refuses the calls, asked from the page with the page's own
 * token); a link for app A never shows app B; a revoked or bogus link says "link expired"; the page
 * runs under a CSP without inline scripts, and no served file embeds a token.
 */
import { request } from 'node:http';
import type { Page } from 'playwright-core';
import { AppPortalCapability } from 'svix';
import { openPage, type WatchedPage } from './support/browser.ts';
import { createCatalog } from './support/catalog.ts';
import { expectText, openEndpoint, openTab, unexpectedErrors } from './support/flows.ts';
import { startPortalStack, unique, type PortalStack } from './support/portal-stack.ts';

let stack: PortalStack;
let appA: { id: string; hookUrl: string; endpointId: string };

async function appWithEndpoint(name: string): Promise<{ id: string; hookUrl: string; endpointId: string }> {
  const app = await stack.admin.application.create({ name, uid: `${name.toLowerCase()}-${unique()}` });
  const hookUrl = `${stack.receiver.url}/${name.toLowerCase()}-hook`;
  const endpoint = await stack.admin.endpoint.create(app.id, { url: hookUrl, description: `${name} receiver` });
  await stack.admin.message.create(app.id, { eventType: 'invoice.paid', eventId: `evt-${name}`, payload: { invoice: name } });
  return { id: app.id, hookUrl, endpointId: endpoint.id };
}

/** The page's own fetch, with the token it keeps in sessionStorage: what the browser may really do. */
async function fetchWithPageToken(page: Page, method: string, path: string, body?: unknown): Promise<number> {
  const script = `(async () => {
    const { token } = JSON.parse(sessionStorage.getItem('sluice.portal.session'));
    const res = await fetch(${JSON.stringify(path)}, {
      method: ${JSON.stringify(method)},
      headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' },
      body: ${body === undefined ? 'undefined' : JSON.stringify(JSON.stringify(body))},
    });
    return res.status;
  })()`;
  return page.evaluate(script) as Promise<number>;
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
  [appA] = await Promise.all([appWithEndpoint('Alpha'), appWithEndpoint('Bravo')]);
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
