/**
 * What a customer does in the portal, written once against a Surface (the page itself, or the frame
 * the portal runs in when embedded), so the top-level and iframe tests drive exactly the same steps.
 */
import type { FrameLocator, Locator, Page } from 'playwright-core';

export type Surface = Page | FrameLocator;

/** Every API route a portal panel may call that a Sluice deployment might not have yet. */
const OPTIONAL_ROUTES = [
  /\/endpoint\/[^/]+\/headers$/,
  /\/endpoint\/[^/]+\/stats(\?|$)/,
  /\/endpoint\/[^/]+\/send-example$/,
  /\/endpoint\/[^/]+\/msg(\?|$)/,
  /\/msg\/[^/]+\/endpoint(\?|$)/,
  /\/background-task\/[^/]+$/,
  /\/ops\/queues$/,
];

/**
 * Console errors other than the browser's own "404" line for an optional route the server lacks (the
 * portal handles those: the panel says "not available").
 */
export function unexpectedErrors(errors: { text: string; url: string }[]): string[] {
  const path = (url: string): string => new URL(url, 'http://x').pathname;
  return errors
    .filter((e) => !(e.text.includes('status of 404') && OPTIONAL_ROUTES.some((r) => r.test(path(e.url)))))
    // send-example is admin-only, as in Svix: a customer who tries it is told so by the panel.
    .filter((e) => !(e.text.includes('status of 403') && /\/send-example$/.test(path(e.url))))
    .map((e) => `${e.text} (${e.url})`);
}

export async function openTab(s: Surface, name: 'Endpoints' | 'Messages' | 'Event catalog'): Promise<void> {
  await s.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name }).click();
}

/** Fills the "Add endpoint" form and returns the new endpoint's id (shown on its page). */
export async function createEndpoint(s: Surface, input: { url: string; description: string; eventTypes: string[]; channels?: string }): Promise<string> {
  await openTab(s, 'Endpoints');
  await s.getByRole('link', { name: 'Add endpoint' }).click();
  await s.getByLabel('Endpoint URL').fill(input.url);
  await s.getByLabel('Description').fill(input.description);
  for (const type of input.eventTypes) await s.getByRole('checkbox', { name: type }).check();
  if (input.channels !== undefined) await s.getByLabel('Channels').fill(input.channels);
  await s.getByRole('button', { name: 'Create' }).click();
  await s.getByRole('heading', { name: input.url }).waitFor();
  return endpointIdOnPage(s);
}

export async function endpointIdOnPage(s: Surface): Promise<string> {
  const id = await s.locator('#settings dd code').first().textContent();
  if (id === null || !id.startsWith('ep_')) throw new Error(`no endpoint id on the page: ${id}`);
  return id;
}

export async function openEndpoint(s: Surface, url: string): Promise<void> {
  await openTab(s, 'Endpoints');
  await s.getByRole('link', { name: new RegExp(escape(url)) }).first().click();
  await s.getByRole('heading', { name: url }).waitFor();
}

export function attemptRows(s: Surface): Locator {
  return s.locator('[data-attempt-id]');
}

export async function revealSecret(s: Surface): Promise<string> {
  await s.getByRole('button', { name: 'Reveal' }).click();
  const secret = s.locator('code.secret[data-revealed="true"]');
  await secret.waitFor();
  return (await secret.textContent()) ?? '';
}

/** Rotates and returns the new secret the panel shows. */
export async function rotateSecret(s: Surface, before: string): Promise<string> {
  await s.getByRole('button', { name: 'Rotate' }).click();
  await s.getByText(/Rotated\. Webhooks are signed with both secrets/).waitFor();
  const secret = s.locator('code.secret[data-revealed="true"]');
  await expectText(secret, (t) => t.startsWith('whsec_') && t !== before);
  return (await secret.textContent()) ?? '';
}

export async function openMessage(s: Surface, eventId: string): Promise<void> {
  await openTab(s, 'Messages');
  await s.getByRole('link', { name: new RegExp(escape(eventId)) }).click();
  await s.getByRole('heading', { name: 'Payload' }).waitFor();
}

export async function recoverSinceYesterday(s: Surface): Promise<void> {
  await s.getByRole('button', { name: 'Recover', exact: true }).click();
  await s.getByText(/Recovery qtask_/).waitFor();
}

/** Waits until the locator's text satisfies `ok` (the portal updates without a reload). */
export async function expectText(locator: Locator, ok: (text: string) => boolean, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const last = (await locator.count()) > 0 ? ((await locator.first().textContent()) ?? '') : '';
    if (ok(last)) return last;
    if (Date.now() > deadline) throw new Error(`text never matched; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
