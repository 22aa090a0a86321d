/**
 * Real headless Chromium for the browser tests: @sparticuz/chromium ships the binary inside the npm
 * package (no download at test time) and playwright-core drives it. Its default flags include
 * --disable-web-security, which would switch CORS and the same-origin policy off, so it is dropped: the
 * iframe tests rely on the browser enforcing origins.
 */
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import chromium from '@sparticuz/chromium';
import { chromium as playwright, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';

const DROPPED_FLAGS = ['--disable-web-security', '--single-process', '--no-zygote'];

export async function launchChromium(): Promise<Browser> {
  const args = chromium.args.filter((flag) => !DROPPED_FLAGS.some((d) => flag === d || flag.startsWith(`${d}=`)));
  return playwright.launch({ executablePath: await unpackedChromium(), args, headless: true });
}

const UNPACK_LOCK = join(tmpdir(), 'sluice-chromium-unpack.lock');
const UNPACKED_MARK = join(tmpdir(), 'sluice-chromium-unpacked');
const STALE_LOCK_MS = 120_000;

/**
 * @sparticuz/chromium unpacks its binary to <tmp>/chromium on first use and returns early as soon as
 * that file EXISTS, so a second jest worker starting meanwhile launched a half-written binary (SIGSEGV
 * on a fresh machine). Workers unpack one at a time, and a file left half-written by a killed run
 * (no mark beside it) is unpacked again.
 */
async function unpackedChromium(): Promise<string> {
  await takeLock();
  try {
    if (!existsSync(UNPACKED_MARK)) rmSync(join(tmpdir(), 'chromium'), { force: true });
    const path = await chromium.executablePath();
    writeFileSync(UNPACKED_MARK, path);
    return path;
  } finally {
    rmSync(UNPACK_LOCK, { recursive: true, force: true });
  }
}

async function takeLock(): Promise<void> {
  for (;;) {
    try {
      mkdirSync(UNPACK_LOCK);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    try {
      // A worker killed while holding it: take the lock over.
      if (Date.now() - statSync(UNPACK_LOCK).mtimeMs > STALE_LOCK_MS) rmSync(UNPACK_LOCK, { recursive: true, force: true });
    } catch {
      // Released meanwhile: try again.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
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
