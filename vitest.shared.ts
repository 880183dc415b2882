import { defineConfig } from 'vitest/config';

/**
 * Shared vitest settings: tests run against each package's TypeScript sources through the
 * `source` export condition, so no build is needed before `pnpm test`.
 */
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'tests/**/*.test.ts'],
    typecheck: { enabled: false },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
