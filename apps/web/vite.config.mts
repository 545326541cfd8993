import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The dashboard: served by the Manager under /ui (DASHBOARD_PATH), built beside the compiled apps in dist/web. */
export default defineConfig({
  root,
  base: '/ui/',
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    // No inline scripts or styles: the Manager's Content-Security-Policy allows files from itself only.
    assetsInlineLimit: 0,
  },
});
