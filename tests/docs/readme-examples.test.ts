/**
 * The docs test: every ```ts block of every README under packages/ and apps/ is type-checked
 * with the repository's strict settings and run, each in a fresh temporary folder (see
 * `markdown.ts` for the hidden-prelude syntax). A README added later is covered without a change here.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { codeBlocks } from './markdown.ts';
import { blockProblems, readmeFiles, repositoryRoot, typeCheckExamples, writeExamples } from './examples.ts';

const examples = writeExamples();
let compilerErrors = new Map<string, string[]>();
beforeAll(() => {
  compilerErrors = typeCheckExamples(examples);
}, 300_000);

describe('README examples', () => {
  it('are found: every README under packages/ and apps/, at least one TypeScript block per library', () => {
    const readmes = readmeFiles();
    expect(readmes.length).toBeGreaterThanOrEqual(8);
    for (const readme of readmes.filter((file) => file.startsWith('packages/'))) {
      expect(
        examples.filter((example) => example.readme === readme).length,
        `${readme}: a library README has a runnable example`,
      ).toBeGreaterThan(0);
    }
    process.stdout.write(`docs: ${examples.length} TypeScript blocks in ${readmes.length} READMEs\n`);
  });

  it('use only languages that are checked or are not code (no ```js, no attributes on ```ts)', () => {
    const problems = readmeFiles().flatMap((readme) =>
      blockProblems(readme, codeBlocks(fs.readFileSync(path.join(repositoryRoot, readme), 'utf8'))),
    );
    expect(problems).toEqual([]);
  });

  it('type-check outside the examples too (nothing the compiler reports is lost)', () => {
    expect(compilerErrors.get('(elsewhere)') ?? []).toEqual([]);
  });

  for (const example of examples) {
    describe(`${example.readme}, the block at line ${example.block.line}`, () => {
      it('compiles under tsc --strict (the repository settings)', () => {
        expect(compilerErrors.get(example.file), 'tsc errors').toEqual([]);
      });

      it('runs', async () => {
        const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'annet-readme-'));
        const previous = process.cwd();
        const logged: unknown[][] = [];
        const log = vi.spyOn(console, 'log').mockImplementation((...values: unknown[]) => void logged.push(values));
        const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
        try {
          process.chdir(folder);
          await import(pathToFileURL(example.file).href);
        } finally {
          log.mockRestore();
          write.mockRestore();
          process.chdir(previous);
          fs.rmSync(folder, { recursive: true, force: true });
        }
      }, 120_000);
    });
  }
});

describe('library READMEs', () => {
  for (const readme of readmeFiles().filter((file) => file.startsWith('packages/'))) {
    it(`${readme} says the package is ESM-only and shows import() for CommonJS`, () => {
      const name = JSON.parse(fs.readFileSync(path.join(repositoryRoot, path.dirname(readme), 'package.json'), 'utf8'))
        .name as string;
      const text = fs.readFileSync(path.join(repositoryRoot, readme), 'utf8');
      expect(text).toMatch(/ESM[- ]only/);
      expect(text).toContain(`await import('${name}')`);
    });
  }
});

afterAll(() => undefined);

describe('the block rules', () => {
  it('refuse a JavaScript block, an unknown language and attributes on a TypeScript block', () => {
    const markdown = [
      '```js',
      'x()',
      '```',
      '```ts-skip',
      'x()',
      '```',
      '```ts no-run',
      'x()',
      '```',
      '```sh',
      'npm i',
      '```',
      '```text',
      'out',
      '```',
    ].join('\n');
    expect(
      blockProblems('README.md', codeBlocks(markdown)).map((problem) => problem.split(':').slice(0, 2).join(':')),
    ).toEqual(['README.md:1', 'README.md:4', 'README.md:7']);
  });

  it('attach a hidden prelude to the block right after it, and refuse a dangling one', () => {
    const blocks = codeBlocks(
      ['<!-- prelude: setup', 'const x = 1;', '-->', '', '```ts', 'console.log(x);', '```'].join('\n'),
    );
    expect(blocks).toEqual([
      { language: 'ts', info: 'ts', line: 5, code: 'console.log(x);', prelude: 'const x = 1;', preludeLine: 2 },
    ]);
    expect(() => codeBlocks(['<!-- prelude', 'const x = 1;', '-->', 'prose', '```ts', 'x', '```'].join('\n'))).toThrow(
      /a prelude must come right before/,
    );
  });
});
