import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from './examples.ts';
import { checkTsdocExamples, tsdocExamples } from './tsdoc.ts';

describe('TSDoc @examples', () => {
  it('are read from the comment, with or without a fence', () => {
    const text =
      '/**\n * Doubles.\n *\n * @example\n * twice(2); // 4\n * @param x - a number\n */\nexport function twice(x: number) { return 2 * x; }\n/**\n * @example\n * ```ts\n * twice(3);\n * ```\n */\n';
    expect(tsdocExamples('src/a.ts', text)).toEqual([
      { source: 'src/a.ts', line: 4, code: 'twice(2); // 4' },
      { source: 'src/a.ts', line: 10, code: 'twice(3);' },
    ]);
  });

  it('catch a stale example (a wrong argument count, an unknown option) and accept placeholders such as x', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'annet-tsdoc-'));
    try {
      fs.copyFileSync(path.join(repositoryRoot, 'tsconfig.base.json'), path.join(root, 'tsconfig.base.json'));
      fs.mkdirSync(path.join(root, 'packages/demo/src'), { recursive: true });
      fs.writeFileSync(
        path.join(root, 'packages/demo/package.json'),
        JSON.stringify({ name: '@annet/demo', type: 'module', exports: { '.': { source: './src/demo.ts' } } }),
      );
      fs.writeFileSync(path.join(root, 'packages/demo/README.md'), '# demo\n');
      fs.writeFileSync(
        path.join(root, 'packages/demo/src/demo.ts'),
        [
          '/**',
          ' * @example',
          ' * scale(x, 2); // fine: x is a placeholder',
          ' */',
          'export function scale(value: number, factor: number, options: { round?: boolean } = {}): number { return options.round ? Math.round(value * factor) : value * factor; }',
          '/**',
          ' * @example',
          ' * scale(1); // stale: two arguments are required',
          ' */',
          'export const one = 1;',
          '/**',
          ' * @example',
          " * scale(1, 2, { rounding: true }); // stale: the option is 'round'",
          ' */',
          'export const two = 2;',
          '',
        ].join('\n'),
      );
      const { examples, errors } = checkTsdocExamples(root);
      expect(examples).toBe(3);
      expect(errors.map((error) => error.split('\n')[0])).toEqual([
        'line 1 of the @example at packages/demo/src/demo.ts:7: TS2554 Expected 2-3 arguments, but got 1.',
        "line 1 of the @example at packages/demo/src/demo.ts:12: TS2353 Object literal may only specify known properties, and 'rounding' does not exist in type '{ round?: boolean | undefined; }'.",
      ]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);

  it('type-check against the real API (strict settings; undefined placeholders such as x and dy count as any)', () => {
    const { examples, errors } = checkTsdocExamples();
    process.stdout.write(`docs: ${examples} TSDoc @examples type-checked, ${errors.length} errors\n`);
    expect(examples).toBeGreaterThan(100);
    expect(errors).toEqual([]);
  }, 600_000);
});
