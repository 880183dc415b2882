import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const appFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repository = path.resolve(appFolder, '..', '..');

/** The app and the workspace packages it runs on, in build order. */
const buildOrder = [
  'packages/layer-api',
  'packages/tensor',
  'packages/layers',
  'packages/optimizers',
  'packages/dataset',
  'packages/serialization',
  'packages/model',
  'apps/train-demo',
];

function newestSource(folder: string): number {
  let newest = 0;
  const visit = (directory: string) => {
    for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (/\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.test.ts'))
        newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  };
  visit(path.join(folder, 'src'));
  for (const file of ['package.json', 'tsconfig.build.json'])
    newest = Math.max(newest, fs.statSync(path.join(folder, file)).mtimeMs);
  return newest;
}

function builtAt(folder: string): number {
  const entry = path.join(folder, 'dist', folder.endsWith('train-demo') ? 'cli.js' : 'index.js');
  return fs.existsSync(entry) ? fs.statSync(entry).mtimeMs : 0;
}

/**
 * Makes sure `dist/cli.js` and the dist of every package it imports are built from the current
 * sources, compiling (with each package's own `tsconfig.build.json`) only what is missing or older
 * than its sources. CI builds everything before testing, so this then compiles nothing; a
 * developer running the tests alone gets a working CLI either way.
 */
export function buildApp(): string {
  const tsc = path.join(path.dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  for (const relative of buildOrder) {
    const folder = path.join(repository, relative);
    if (builtAt(folder) >= newestSource(folder)) continue;
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: folder, stdio: 'pipe' });
  }
  return path.join(appFolder, 'dist', 'cli.js');
}
