#!/usr/bin/env node
// Packs every library with `pnpm pack`, installs the tarballs into a scratch project outside the
// workspace with npm, and imports each package (and its ./node subpath) from plain Node: what a
// user's `npm i @annet/optimizers` does. Run after `pnpm build`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'annet-packs-'));
const tarballs = path.join(scratch, 'tarballs');
fs.mkdirSync(tarballs);
const libraries = fs.readdirSync(path.join(root, 'packages')).sort()
  .map((folder) => ({ folder, manifest: JSON.parse(fs.readFileSync(path.join(root, 'packages', folder, 'package.json'), 'utf8')) }));

const files = [];
for (const { folder, manifest } of libraries) {
  execFileSync('pnpm', ['pack', '--pack-destination', tarballs], { cwd: path.join(root, 'packages', folder), stdio: ['ignore', 'ignore', 'inherit'] });
  const file = `${manifest.name.replace('@', '').replace('/', '-')}-${manifest.version}.tgz`;
  if (!fs.existsSync(path.join(tarballs, file))) throw new Error(`check-packs: pnpm pack did not write ${file}`);
  files.push(path.join(tarballs, file));
}

const project = path.join(scratch, 'project');
fs.mkdirSync(project);
fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'annet-pack-check', private: true, type: 'module' }));
execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--offline', ...files], { cwd: project, stdio: ['ignore', 'ignore', 'inherit'] });

const lines = [];
for (const { manifest } of libraries) {
  const entries = Object.keys(manifest.publishConfig?.exports ?? manifest.exports).filter((key) => key !== './package.json');
  for (const entry of entries) {
    const specifier = entry === '.' ? manifest.name : `${manifest.name}/${entry.slice(2)}`;
    lines.push(`import * as m${lines.length} from '${specifier}'; console.log('${specifier}: ' + Object.keys(m${lines.length}).length + ' exports');`);
  }
}
fs.writeFileSync(path.join(project, 'check.mjs'), lines.join('\n') + '\n');
const report = execFileSync('node', ['check.mjs'], { cwd: project, encoding: 'utf8' });
process.stdout.write(report);
const installed = fs.readdirSync(path.join(project, 'node_modules', '@annet'));
console.log(`check-packs: ${libraries.length} tarballs installed with npm into ${project} and imported from plain Node (${installed.join(', ')})`);
fs.rmSync(scratch, { recursive: true, force: true });
