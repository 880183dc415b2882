import { defaultClientConditions, defineConfig } from 'vite';
import { mnistDigits } from './vite/mnist-digits-plugin.js';

/**
 * Cross-origin isolation: with these two headers `crossOriginIsolated` is true, SharedArrayBuffer
 * exists and the kernels keep tensors in shared WebAssembly memory. Without them the app still
 * works, copying operands into WebAssembly memory per product.
 */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // Libraries from their TypeScript sources (the `source` export condition), as the tests use them.
  resolve: { conditions: ['source', ...defaultClientConditions] },
  worker: { format: 'es' },
  plugins: [mnistDigits()],
  server: { host: '127.0.0.1', headers: isolationHeaders },
  preview: { host: '127.0.0.1', headers: isolationHeaders },
  // Reading the mnist package's 21 MB of JSON takes a few seconds: expected, not worth a warning.
  build: { target: 'es2022', chunkSizeWarningLimit: 1024, rolldownOptions: { checks: { bundlerTimings: false } } },
});
