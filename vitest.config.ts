import { defineConfig } from 'vitest/config';

// Unit and integration tests sit beside the code (*.test.ts); cross-cutting
// suites live in tests/. End-to-end specs (tests/e2e) belong to Playwright.
export default defineConfig({
  test: {
    include: ['electron/**/*.test.ts', 'devices/**/*.test.ts', 'platform/**/*.test.ts', 'platform-contract/**/*.test.ts', 'hall/**/*.test.ts', 'renderer/**/*.test.ts', 'scripts/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/lint/**/*.test.ts', 'tests/fuzz/**/*.test.ts'],
    exclude: ['node_modules', 'dist'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
