import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Shared vitest settings: tests run against each package's TypeScript sources through the
 * `source` export condition, so no build is needed before `pnpm test`. The one setup file fixes
 * fast-check's seed (`ANNET_TEST_SEED` to change it) and fails a predicate that mutates its input.
 */
export const setupFiles = [fileURLToPath(new URL('./tests/setup/fast-check.ts', import.meta.url))];

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'tests/**/*.test.ts'],
    setupFiles,
    typecheck: { enabled: false },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
