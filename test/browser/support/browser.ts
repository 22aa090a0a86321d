/**
 * Real headless Chromium for the browser tests: @sparticuz/chromium ships the binary inside the npm
 * package (no download at test time) and playwright-core drives it. Its default flags include
 * --disable-web-security, which would switch CORS and the same-origin policy off, so it is dropped: the
 * iframe tests rely on the browser enforcing origins.
 */
import chromium from '@sparticuz/chromium';
import { chromium as playwright, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';

const DROPPED_FLAGS = ['--disable-web-security', '--single-process', '--no-zygote'];

export async function launchChromium(): Promise<Browser> {
  const args = chromium.args.filter((flag) => !DROPPED_FLAGS.some((d) => flag === d || flag.startsWith(`${d}=`)));
  return playwright.launch({ executablePath: await chromium.executablePath(), args, headless: true });
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught exceptions seen so far, with the resource URL the browser names. */
  errors: { text: string; url: string }[];
}

/** A fresh context (own storage) and page that records console errors and accepts confirm() dialogs. */
export async function openPage(browser: Browser, options: { width?: number; height?: number; clipboardOrigin?: string } = {}): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1200, height: options.height ?? 900 } });
  if (options.clipboardOrigin !== undefined) {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: options.clipboardOrigin });
  }
  const page = await context.newPage();
  const errors: { text: string; url: string }[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') errors.push({ text: message.text(), url: message.location().url });
  });
  page.on('pageerror', (error) => errors.push({ text: error.message, url: '' }));
  page.on('dialog', (dialog) => void dialog.accept());
  return { page, context, errors };
}
