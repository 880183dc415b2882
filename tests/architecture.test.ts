import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  formatViolations,
  hygieneViolations,
  mainEntryViolations,
  manifestViolations,
  sourceViolations,
} from './rules.js';
import { readWorkspacePackages, type WorkspacePackage } from './workspace.js';

const packages = readWorkspacePackages();

function expectNone(violations: ReturnType<typeof manifestViolations>) {
  expect(violations, `architecture rules broken:\n${formatViolations(violations)}`).toEqual([]);
}

describe('the repository', () => {
  it('has all eight library packages, the demo app and the playground', () => {
    expect(packages.map((pkg) => pkg.manifest.name).sort()).toEqual([
      '@annet/dataset',
      '@annet/interop',
      '@annet/layer-api',
      '@annet/layers',
      '@annet/model',
      '@annet/optimizers',
      '@annet/playground',
      '@annet/serialization',
      '@annet/tensor',
      '@annet/train-demo',
    ]);
  });
  it('declares only allowed dependency edges in package.json files', () => expectNone(manifestViolations(packages)));
  it('imports only declared, allowed packages from library sources and never Math.random', () =>
    expectNone(sourceViolations(packages)));
  it('keeps Node built-ins out of every library main entry', () => expectNone(mainEntryViolations(packages)));
  it('gives every library ESM, types, a source condition, files, sideEffects false, engines, license and a README', () =>
    expectNone(hygieneViolations(packages)));
});

/** A throwaway workspace, to show each rule catches what it should. */
function scratchWorkspace(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'annet-architecture-'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

function library(name: string, dependencies: Record<string, string> = {}): WorkspacePackage {
  return { folder: `packages/${name}`, isLibrary: true, manifest: { name: `@annet/${name}`, dependencies } };
}

describe('the rules themselves', () => {
  it('reject @annet/optimizers depending on @annet/tensor in package.json', () => {
    const report = formatViolations(
      manifestViolations([library('optimizers', { '@annet/layer-api': '1', '@annet/tensor': '1' })]),
    );
    expect(report).toContain(
      'packages/optimizers/package.json: [allowed-edges] @annet/optimizers may not depend on @annet/tensor',
    );
    expect(report).toContain('[exact-dependencies]');
  });
  it('reject a library whose engines admit Node versions where require() of ESM fails', () => {
    const loose = { ...library('model'), manifest: { ...library('model').manifest, engines: { node: '>=20' } } };
    expect(formatViolations(hygieneViolations([loose]))).toContain(
      'packages/model/package.json: [engines] "engines.node" must be "^20.19.0 || >=22.12.0"',
    );
  });
  it('let @annet/tensor depend on @annet/layer-api but not the other way round', () => {
    expect(manifestViolations([library('tensor', { '@annet/layer-api': '1' })])).toEqual([]);
    const report = formatViolations(manifestViolations([library('layer-api', { '@annet/tensor': '1' })]));
    expect(report).toContain(
      'packages/layer-api/package.json: [allowed-edges] @annet/layer-api may not depend on @annet/tensor',
    );
  });
  it('reject a third-party runtime dependency of a library', () => {
    expect(formatViolations(manifestViolations([library('tensor', { lodash: '4' })]))).toContain(
      '[no-third-party-runtime-dependencies]',
    );
  });
  it('reject an undeclared import and name the file', () => {
    const root = scratchWorkspace({ 'packages/optimizers/src/adam.ts': "import { zeros } from '@annet/tensor';\n" });
    const report = formatViolations(sourceViolations([library('optimizers', { '@annet/layer-api': '1' })], root));
    expect(report).toBe(
      'packages/optimizers/src/adam.ts: [declared-imports] imports @annet/tensor, but @annet/optimizers does not declare @annet/tensor in package.json',
    );
  });
  it('reject Math.random in library code but not in comments', () => {
    const root = scratchWorkspace({
      'packages/tensor/src/a.ts': 'export const x = Math.random();\n',
      'packages/tensor/src/b.ts': '// never Math.random here\nexport const y = 1;\n',
    });
    const report = formatViolations(sourceViolations([library('tensor')], root));
    expect(report).toContain('packages/tensor/src/a.ts: [no-math-random]');
    expect(report).not.toContain('b.ts');
  });
  it('reject node: imports reachable from a main entry, but allow them behind ./node', () => {
    const root = scratchWorkspace({
      'packages/dataset/src/index.ts': "export * from './read.js';\n",
      'packages/dataset/src/read.ts': "import { readFile } from 'node:fs/promises';\nexport { readFile };\n",
      'packages/dataset/src/node.ts': "import fs from 'node:fs';\nexport { fs };\n",
    });
    const report = formatViolations(mainEntryViolations([library('dataset', { '@annet/tensor': '1' })], root));
    expect(report).toContain('packages/dataset/src/read.ts: [browser-safe-main-entry] imports node:fs/promises');
    expect(report).not.toContain('node.ts');
  });
});
