import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Shared vitest settings: tests run against each package's TypeScript sources through the
 * `source` export condition, so no build is needed before `pnpm test`. The shared setup fixes
 * fast-check's seed (`ANNET_TEST_SEED` to change it), fails a predicate that mutates its input,
 * and kills a test that is stuck for longer than `ANNET_TEST_HANG_LIMIT_MS` (default 300 s),
 * naming it.
 */
export const setupFiles = ['./tests/setup/watchdog.ts', './tests/setup/fast-check.ts'].map((file) =>
  fileURLToPath(new URL(file, import.meta.url)),
);

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
