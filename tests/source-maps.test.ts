import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { findBrokenSourceMaps } from '../scripts/source-maps.mjs';

const folders: string[] = [];
function packageWith(files: Record<string, string>): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'annet-maps-'));
  folders.push(folder);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    fs.writeFileSync(path.join(folder, name), text);
  }
  return folder;
}
afterEach(() => folders.splice(0).forEach((folder) => fs.rmSync(folder, { recursive: true, force: true })));

describe('check-packs: source maps', () => {
  it('fails a map that points at ../src/*.ts, which a tarball does not ship', () => {
    const folder = packageWith({
      'dist/index.js': 'export const a = 1;\n//# sourceMappingURL=index.js.map\n',
      'dist/index.js.map': JSON.stringify({ version: 3, sources: ['../src/index.ts'], mappings: 'AAAA' }),
    });
    const problems: string[] = findBrokenSourceMaps(folder);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^dist\/index\.js\.map: points at \.\.\/src\/index\.ts/);
  });

  it('fails a sourceMappingURL comment naming a map that is not there', () => {
    const folder = packageWith({
      'dist/index.d.ts': 'export declare const a = 1;\n//# sourceMappingURL=index.d.ts.map\n',
    });
    expect(findBrokenSourceMaps(folder)).toEqual([
      'dist/index.d.ts: its sourceMappingURL names dist/index.d.ts.map, which the package does not contain',
    ]);
  });

  it('accepts a map that embeds its sources, a map whose source is shipped, and no maps at all', () => {
    const folder = packageWith({
      'dist/a.js': 'export const a = 1;\n//# sourceMappingURL=a.js.map\n',
      'dist/a.js.map': JSON.stringify({
        version: 3,
        sources: ['../src/a.ts'],
        sourcesContent: ['export const a = 1;'],
        mappings: 'AAAA',
      }),
      'dist/b.js': 'export const b = 1;\n//# sourceMappingURL=b.js.map\n',
      'dist/b.js.map': JSON.stringify({ version: 3, sources: ['../src/b.ts'], mappings: 'AAAA' }),
      'src/b.ts': 'export const b = 1;',
      'dist/c.js': 'export const c = 1;\n',
    });
    expect(findBrokenSourceMaps(folder)).toEqual([]);
  });
});

describe('the build settings', () => {
  it('emit no source maps for any library (a map of ../src/*.ts would point at files the tarball does not ship)', () => {
    const root = path.resolve(import.meta.dirname, '..');
    const base = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8')).compilerOptions;
    expect([base.sourceMap, base.declarationMap]).toEqual([false, false]);
    for (const name of fs.readdirSync(path.join(root, 'packages'))) {
      const file = path.join(root, 'packages', name, 'tsconfig.build.json');
      if (!fs.existsSync(file)) continue;
      const options = JSON.parse(fs.readFileSync(file, 'utf8')).compilerOptions ?? {};
      expect(
        [
          options.sourceMap ?? base.sourceMap,
          options.declarationMap ?? base.declarationMap,
          options.inlineSourceMap ?? false,
        ],
        `packages/${name}/tsconfig.build.json`,
      ).toEqual([false, false, false]);
    }
  });
});
