import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/** The app's folder (where `vite.config.ts` is). */
export const appFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Builds the app with its own Vite config into a fresh temporary folder and returns the folder
 * (the caller removes it; a failed build removes it itself). The tests build the current sources rather than trust a `dist` that
 * may be stale.
 *
 * @example
 * const folder = await buildApp(); // …/annet-playground-XXXX with index.html, assets/, mnist-digits.bin
 */
export async function buildApp(): Promise<string> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'annet-playground-'));
  try {
    await build({
      root: appFolder,
      configFile: path.join(appFolder, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
  } catch (error) {
    fs.rmSync(outDir, { recursive: true, force: true });
    throw error;
  }
  return outDir;
}
