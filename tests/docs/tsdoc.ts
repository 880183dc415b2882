/**
 * TSDoc `@example`s of the libraries' and apps' sources, type-checked (not run: they are
 * fragments that name a tensor `x` or a gradient `dy` they never build).
 *
 * Each example becomes the body of an async function in its own module, with every export of every
 * `@annet/*` package and of its own source file in scope. A name the example uses but never
 * defines (`x`, `dy`, `settings`) is a placeholder: it is declared `any`, so the example still
 * type-checks where it meets the API (the arguments it passes, the options it names, what it
 * reads from a result). A placeholder that is called or constructed (`oldName(...)`,
 * `new OldClass()`) is not accepted: that is an API the example promises and that is not there.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readmeFiles, repositoryRoot } from './examples.ts';

export const tsdocFolder = path.join(import.meta.dirname, '.generated', 'tsdoc');

/** One `@example`. */
export interface TsdocExample {
  /** The source file, relative to the root. */
  readonly source: string;
  /** 1-based line of the `@example` tag. */
  readonly line: number;
  readonly code: string;
}

/** The `@example`s of one source text. */
export function tsdocExamples(source: string, text: string): TsdocExample[] {
  const examples: TsdocExample[] = [];
  for (const comment of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const commentLine = text.slice(0, comment.index).split('\n').length;
    const lines = comment[0].split('\n').map((line) => line.replace(/^\s*\/?\*+\/?\s?/, '').replace(/\s*\*\/$/, ''));
    for (let index = 0; index < lines.length; index++) {
      const tag = /^@example\b(.*)$/.exec(lines[index]);
      if (tag === null) continue;
      const body: string[] = tag[1].trim() === '' ? [] : [tag[1].trim()];
      let end = index + 1;
      for (; end < lines.length && !/^@\w/.test(lines[end]); end++) body.push(lines[end]);
      const code = body.filter((line) => !/^\s*(```|~~~)/.test(line)).join('\n').trim();
      if (code !== '') examples.push({ source, line: commentLine + index, code });
      index = end - 1;
    }
  }
  return examples;
}

/** The shipped and app sources: `src/**\/*.ts` of every package and app, without tests and test helpers. */
export function sourceFilesWithExamples(root = repositoryRoot): string[] {
  const files: string[] = [];
  const walk = (relative: string): void => {
    for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'testing' && entry.name !== 'fixtures' && entry.name !== 'node_modules') walk(child);
      } else if (/\.ts$/.test(entry.name) && !/\.test(-d)?\.ts$|\.d\.ts$/.test(entry.name) && !entry.name.startsWith('test-')) {
        files.push(child);
      }
    }
  };
  for (const readme of readmeFiles(root)) {
    const src = path.join(path.dirname(readme), 'src');
    if (fs.existsSync(path.join(root, src))) walk(src);
  }
  return files.sort();
}

/** Names a module exports (values and types), read from its export statements, following `export *` and `export { } from`. */
export function exportedNames(file: string, seen = new Set<string>()): Map<string, 'value' | 'type'> {
  const names = new Map<string, 'value' | 'type'>();
  if (seen.has(file) || !fs.existsSync(file)) return names;
  seen.add(file);
  const text = fs.readFileSync(file, 'utf8');
  const target = (specifier: string) => path.resolve(path.dirname(file), specifier.replace(/\.js$/, '.ts'));
  for (const match of text.matchAll(/^export\s+(?:declare\s+)?(?:abstract\s+)?(const|let|function\*?|async\s+function|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/gm)) {
    names.set(match[2], match[1] === 'interface' || match[1] === 'type' ? 'type' : 'value');
  }
  for (const match of text.matchAll(/^export\s+(type\s+)?\{([^}]*)\}(?:\s*from\s*['"]([^'"]+)['"])?/gm)) {
    for (const item of match[2].split(',').map((part) => part.trim()).filter(Boolean)) {
      const typeOnly = match[1] !== undefined || item.startsWith('type ');
      const name = item.replace(/^type\s+/, '').split(/\s+as\s+/).pop()!.trim();
      if (name !== 'default') names.set(name, typeOnly ? 'type' : 'value');
    }
  }
  for (const match of text.matchAll(/^export\s+\*\s+from\s+['"]([^'"]+)['"]/gm)) {
    for (const [name, kind] of exportedNames(target(match[1]), seen)) if (!names.has(name)) names.set(name, kind);
  }
  return names;
}

/** Every export of every workspace library entry, by the package specifier that provides it (first wins). */
function packageExports(root: string): Map<string, { specifier: string; kind: 'value' | 'type' }> {
  const all = new Map<string, { specifier: string; kind: 'value' | 'type' }>();
  for (const readme of readmeFiles(root).filter((file) => file.startsWith('packages/'))) {
    const folder = path.join(root, path.dirname(readme));
    const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8'));
    for (const [entry, conditions] of Object.entries(manifest.exports ?? {}) as [string, { source?: string }][]) {
      if (typeof conditions !== 'object' || conditions.source === undefined) continue;
      const specifier = entry === '.' ? manifest.name : `${manifest.name}/${entry.slice(2)}`;
      for (const [name, kind] of exportedNames(path.join(folder, conditions.source))) if (!all.has(name)) all.set(name, { specifier, kind });
    }
  }
  return all;
}

interface Generated {
  readonly example: TsdocExample;
  readonly file: string;
  readonly codeStart: number;
  readonly codeLines: number;
}

function generate(examples: readonly TsdocExample[], root: string, placeholders: Map<string, string[]>): Generated[] {
  fs.rmSync(tsdocFolder, { recursive: true, force: true });
  fs.mkdirSync(tsdocFolder, { recursive: true });
  const shared = packageExports(root);
  const generated: Generated[] = [];
  examples.forEach((example, index) => {
    const file = path.join(tsdocFolder, `example-${String(index).padStart(4, '0')}.ts`);
    const own = exportedNames(path.join(root, example.source));
    const explicitImports = example.code.split('\n').filter((line) => /^\s*import\s/.test(line));
    const body = example.code.split('\n').filter((line) => !/^\s*import\s/.test(line)).map((line) => line.replace(/^(\s*)export\s+/, '$1'));
    const imported = new Set(explicitImports.flatMap((line) => [...line.matchAll(/([A-Za-z_$][\w$]*)\s*(?:,|\}|$)/g)].map((match) => match[1])));
    const bySpecifier = new Map<string, string[]>();
    const add = (specifier: string, name: string, kind: 'value' | 'type') => {
      if (imported.has(name)) return;
      bySpecifier.set(specifier, [...(bySpecifier.get(specifier) ?? []), kind === 'type' ? `type ${name}` : name]);
    };
    const ownSpecifier = path.relative(tsdocFolder, path.join(root, example.source)).replace(/\.ts$/, '.js');
    for (const [name, kind] of own) add(ownSpecifier.startsWith('.') ? ownSpecifier : `./${ownSpecifier}`, name, kind);
    for (const [name, { specifier, kind }] of shared) if (!own.has(name)) add(specifier, name, kind);
    const header = [
      `// Generated by tests/docs/tsdoc.ts from ${example.source}, the @example at line ${example.line}. Do not edit.`,
      ...explicitImports,
      ...[...bySpecifier].map(([specifier, names]) => `import { ${names.join(', ')} } from '${specifier}';`),
      'export async function example(): Promise<void> {',
      ...(placeholders.get(file) ?? []).map((name) => `  const ${name}: any = undefined;`),
    ];
    fs.writeFileSync(file, [...header, ...body, '}', ''].join('\n'));
    generated.push({ example, file, codeStart: header.length + 1, codeLines: body.length });
  });
  fs.writeFileSync(path.join(tsdocFolder, 'tsconfig.json'), JSON.stringify({
    extends: path.relative(tsdocFolder, path.join(root, 'tsconfig.base.json')),
    compilerOptions: { noEmit: true, types: ['node'], allowUnreachableCode: true, noImplicitAny: false },
    include: ['*.ts'],
  }, null, 2));
  return generated;
}

function compile(): { file: string; line: number; column: number; code: string; message: string }[] {
  const tsc = path.join(repositoryRoot, 'node_modules', '.bin', 'tsc');
  const run = spawnSync(tsc, ['--noEmit', '-p', path.join(tsdocFolder, 'tsconfig.json'), '--pretty', 'false'], { encoding: 'utf8', cwd: repositoryRoot, timeout: 600_000, maxBuffer: 64 * 1024 * 1024 });
  if (run.error !== undefined) throw run.error;
  return `${run.stdout}${run.stderr}`.split('\n').flatMap((line) => {
    const match = /^(.*?\.ts)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line);
    return match === null ? [] : [{ file: path.resolve(repositoryRoot, match[1]), line: Number(match[2]), column: Number(match[3]), code: match[4], message: match[5] }];
  });
}

/** Type-checks every `@example`; returns the errors, each as `source.ts:line (@example): TSxxxx message`. */
export function checkTsdocExamples(root = repositoryRoot): { examples: number; errors: string[] } {
  const examples = sourceFilesWithExamples(root).flatMap((source) => tsdocExamples(source, fs.readFileSync(path.join(root, source), 'utf8')));
  // Pass 1 finds the placeholders: names never defined, and not called or constructed.
  let generated = generate(examples, root, new Map());
  const placeholders = new Map<string, string[]>();
  for (const error of compile()) {
    const entry = generated.find((candidate) => candidate.file === error.file);
    const name = /^Cannot find name '([^']+)'/.exec(error.message)?.[1];
    if (entry === undefined || name === undefined || (error.code !== 'TS2304' && error.code !== 'TS2552')) continue;
    const text = fs.readFileSync(error.file, 'utf8').split('\n')[error.line - 1] ?? '';
    const before = text.slice(0, error.column - 1);
    const after = text.slice(error.column - 1 + name.length);
    if (/^\s*\(/.test(after) || /\bnew\s+$/.test(before) || /^\s*</.test(after)) continue;
    placeholders.set(error.file, [...new Set([...(placeholders.get(error.file) ?? []), name])]);
  }
  generated = generate(examples, root, placeholders);
  const errors = compile().map((error) => {
    const entry = generated.find((candidate) => candidate.file === error.file);
    if (entry === undefined) return `${path.relative(root, error.file)}:${error.line}: ${error.code} ${error.message}`;
    const offset = error.line - entry.codeStart;
    const where = offset >= 0 && offset < entry.codeLines ? `line ${offset + 1} of the @example at ${entry.example.source}:${entry.example.line}` : `the @example at ${entry.example.source}:${entry.example.line}`;
    return `${where}: ${error.code} ${error.message}\n    ${entry.example.code.split('\n').join('\n    ')}`;
  });
  return { examples: examples.length, errors };
}
