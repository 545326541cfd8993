import { rmSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { CHROMIUM_OPTIONS } from './browser';

/**
 * One Chromium for every browser test file (scripts/lib.sh `ensure_test_browser`):
 * `node dist/test/support/browser-server.js FILE` starts it behind Playwright's server on 127.0.0.1, writes the
 * server's address to FILE (mode 0600: the address's unguessable path is the only key to the browser, which runs
 * as root), and serves until SIGTERM, when it closes the browser and removes FILE.
 */
async function main(file: string): Promise<void> {
  const server = await chromium.launchServer({ ...CHROMIUM_OPTIONS, host: '127.0.0.1' });
  const stop = () => {
    rmSync(file, { force: true });
    void server.close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  await writeFile(`${file}.partial`, server.wsEndpoint(), { mode: 0o600 });
  await rename(`${file}.partial`, file);
}

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: browser-server.js ENDPOINT_FILE\n');
  process.exit(2);
}
main(file).catch((error: unknown) => {
  process.stderr.write(`${String((error as Error).stack ?? error)}\n`);
  process.exit(1);
});
