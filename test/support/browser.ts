import { readFile } from 'node:fs/promises';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, which the test set-up installs (package `chromium`): no browser is downloaded. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Chromium headless, as root (no sandbox), with everything that would reach the network by itself turned off:
 * this machine refuses those connections, and the tests talk to 127.0.0.1 only. Playwright gives it a fresh,
 * empty profile directory and drives it over a pipe.
 */
export const CHROMIUM_OPTIONS = {
  executablePath: CHROMIUM,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

export function launchChromium(): Promise<Browser> {
  return chromium.launch(CHROMIUM_OPTIONS);
}

/**
 * The browser of a test file: the one Chromium scripts/test.sh serves to every file (browser-server.ts; its
 * address, whose unguessable path is the only key to it, in the root-only file `TEST_BROWSER_ENDPOINT_FILE`),
 * else one of this process's own (a file run by hand). Each test works in contexts of its own, which share no
 * cookies or storage; closing a shared browser closes those contexts and the connection, not the browser.
 */
export async function testBrowser(): Promise<Browser> {
  const file = process.env.TEST_BROWSER_ENDPOINT_FILE;
  if (!file) return launchChromium();
  return chromium.connect((await readFile(file, 'utf8')).trim());
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * The serious and critical axe-core violations on the page as it is drawn now. axe is evaluated through the
 * DevTools protocol, which the page's Content-Security-Policy does not govern: the policy stays as it is.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const source = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(source);
  const violations = await page.evaluate<AxeViolation[]>('axe.run().then((results) => results.violations)');
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(({ id, impact, help, nodes }) => ({
      id,
      impact,
      help,
      nodes: nodes.map(({ target }) => ({ target })),
    }));
}
