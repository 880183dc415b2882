#!/usr/bin/env node
// Packs every library with `pnpm pack`, installs the tarballs into a scratch project outside the
// workspace with npm, and imports each package (and its ./node subpath) from plain Node: what a
// user's `npm i @annet/optimizers` does. Run after `pnpm build`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findBrokenSourceMaps } from './source-maps.mjs';

const root = path.resolve(import.meta.dirname, '..');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'annet-packs-'));
const tarballs = path.join(scratch, 'tarballs');
fs.mkdirSync(tarballs);
const libraries = fs
  .readdirSync(path.join(root, 'packages'))
  .sort()
  .map((folder) => ({
    folder,
    manifest: JSON.parse(fs.readFileSync(path.join(root, 'packages', folder, 'package.json'), 'utf8')),
  }));

const files = [];
for (const { folder, manifest } of libraries) {
  execFileSync('pnpm', ['pack', '--pack-destination', tarballs], {
    cwd: path.join(root, 'packages', folder),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const file = `${manifest.name.replace('@', '').replace('/', '-')}-${manifest.version}.tgz`;
  if (!fs.existsSync(path.join(tarballs, file))) throw new Error(`check-packs: pnpm pack did not write ${file}`);
  files.push(path.join(tarballs, file));
}

const project = path.join(scratch, 'project');
fs.mkdirSync(project);
fs.writeFileSync(
  path.join(project, 'package.json'),
  JSON.stringify({ name: 'annet-pack-check', private: true, type: 'module' }),
);
execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--offline', ...files], {
  cwd: project,
  stdio: ['ignore', 'ignore', 'inherit'],
});

// No published file may point at a source map, or a map at a source, that is not in the tarball.
const mapProblems = libraries.flatMap(({ manifest }) =>
  findBrokenSourceMaps(path.join(project, 'node_modules', manifest.name)).map(
    (problem) => `${manifest.name}/${problem}`,
  ),
);
if (mapProblems.length > 0)
  throw new Error(`check-packs: broken source maps in the tarballs:\n  ${mapProblems.join('\n  ')}`);
console.log('check-packs: no source map points at a missing file');

const lines = [];
for (const { manifest } of libraries) {
  const entries = Object.keys(manifest.publishConfig?.exports ?? manifest.exports).filter(
    (key) => key !== './package.json',
  );
  for (const entry of entries) {
    const specifier = entry === '.' ? manifest.name : `${manifest.name}/${entry.slice(2)}`;
    lines.push(
      `import * as m${lines.length} from '${specifier}'; console.log('${specifier}: ' + Object.keys(m${lines.length}).length + ' exports');`,
    );
  }
}
// The kernel worker threads start from the installed package's own files (their entry module is
// a file beside the code that starts them), and a split product equals the one-thread product.
lines.push(`
import { matmul, Tensor } from '@annet/tensor';
import { startKernelThreads } from '@annet/tensor/node';
const a = new Tensor(Float32Array.from({ length: 64 * 784 }, (_, i) => (i % 13) / 13 - 0.5), [64, 784]);
const b = new Tensor(Float32Array.from({ length: 784 * 128 }, (_, i) => (i % 7) / 7 - 0.5), [784, 128]);
const single = matmul(a, b).data;
const threads = await startKernelThreads({ threads: 2 });
const split = matmul(a, b).data;
await threads.stop();
if (threads.threads !== 2 || !single.every((value, i) => Object.is(value, split[i]))) throw new Error('check-packs: kernel threads from the installed @annet/tensor gave a different product');
console.log('@annet/tensor/node: startKernelThreads ran a split matmul, bit-identical to one thread');`);
fs.writeFileSync(path.join(project, 'check.mjs'), lines.join('\n') + '\n');
const report = execFileSync('node', ['check.mjs'], { cwd: project, encoding: 'utf8' });
process.stdout.write(report);
const installed = fs.readdirSync(path.join(project, 'node_modules', '@annet'));
console.log(
  `check-packs: ${libraries.length} tarballs installed with npm into ${project} and imported from plain Node (${installed.join(', ')})`,
);
fs.rmSync(scratch, { recursive: true, force: true });
