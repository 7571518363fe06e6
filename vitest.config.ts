import { defineConfig } from 'vitest/config';

// Every *.db.test.ts runs twice: on embedded PGlite and on a real PostgreSQL server.
// Pure unit tests run once (in the pglite project); browser tests drive Debian's Chromium.
const shared = { testTimeout: 30_000, hookTimeout: 60_000 };

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'pglite',
          include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.ts'],
          // Several server processes share one database only on PostgreSQL; PGlite is one process by design.
          exclude: ['**/*.browser.test.ts', '**/node_modules/**', 'test/several-processes.db.test.ts'],
          env: { TEST_DB: 'pglite' },
          globalSetup: ['test/setup-pglite.ts'],
        },
      },
      {
        test: {
          ...shared,
          name: 'postgres',
          include: ['src/**/*.db.test.{ts,tsx}', 'test/**/*.db.test.ts'],
          env: { TEST_DB: 'postgres' },
          globalSetup: ['test/setup-postgres.ts'],
        },
      },
      {
        test: {
          ...shared,
          name: 'browser',
          include: ['test/browser/*.browser.test.ts'],
          env: { TEST_DB: 'pglite' },
          globalSetup: ['test/setup-pglite.ts'],
          testTimeout: 120_000,
        },
      },
    ],
  },
});
