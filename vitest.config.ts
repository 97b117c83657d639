// Vitest: every suite under test/, UTC pinned so only tests that ask for another zone see one.
import { defineConfig } from 'vitest/config';

process.env.TZ = 'UTC';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    env: { TZ: 'UTC' },
  },
});
