import { defineConfig } from '@playwright/test';

// End-to-end specs drive the real UI. Each spec runs in two projects: the
// browser shell in Debian's Chromium, and the Electron shell through
// Playwright's _electron where Electron's binary is installed.
export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure' },
  projects: [
    { name: 'browser-shell', metadata: { shell: 'browser' } },
    { name: 'electron-shell', metadata: { shell: 'electron' } },
  ],
});
