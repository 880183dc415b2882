import { defineConfig } from 'vitest/config';
import { setupFiles } from './vitest.shared.ts';

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: { include: ['tests/**/*.test.ts'], setupFiles, testTimeout: 120_000 },
});
