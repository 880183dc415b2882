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
      const code = body
        .filter((line) => !/^\s*(```|~~~)/.test(line))
        .join('\n')
        .trim();
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
      } else if (
        /\.ts$/.test(entry.name) &&
        !/\.test(-d)?\.ts$|\.d\.ts$/.test(entry.name) &&
        !entry.name.startsWith('test-')
      ) {
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
  for (const match of text.matchAll(
    /^export\s+(?:declare\s+)?(?:abstract\s+)?(const\s+enum|enum|const|let|function\*?|async\s+function|class|interface|type)\s+([A-Za-z_$][\w$]*)/gm,
  )) {
    // A name that is both a value and a type (`const BinaryCode` and `type BinaryCode`) imports as the value, which carries both.
    if (match[1] !== 'interface' && match[1] !== 'type') names.set(match[2], 'value');
    else if (!names.has(match[2])) names.set(match[2], 'type');
  }
  for (const match of text.matchAll(/^export\s+(type\s+)?\{([^}]*)\}(?:\s*from\s*['"]([^'"]+)['"])?/gm)) {
    for (const item of match[2]
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)) {
      const typeOnly = match[1] !== undefined || item.startsWith('type ');
      const name = item
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .pop()!
        .trim();
      if (name !== 'default') names.set(name, typeOnly ? 'type' : 'value');
    }
  }
  for (const match of text.matchAll(/^export\s+\*\s+from\s+['"]([^'"]+)['"]/gm)) {
    for (const [name, kind] of exportedNames(target(match[1]), seen)) if (!names.has(name)) names.set(name, kind);
  }
  return names;
}

interface Provided {
  readonly specifier: string;
  readonly kind: 'value' | 'type';
}

/** The package folder (`packages/layers`) of a source file. */
function packageFolderOf(source: string): string {
  return source.split(path.sep).slice(0, 2).join(path.sep);
}

/** The names in scope for an example of `source`: its own file, its package (public, then internal), then the packages it depends on. */
function scopeFor(source: string, root: string, sources: readonly string[]): Map<string, Provided> {
  const scope = new Map<string, Provided>();
  const relativeSpecifier = (file: string) => {
    const specifier = path.relative(tsdocFolder, path.join(root, file)).replace(/\.ts$/, '.js');
    return specifier.startsWith('.') ? specifier : `./${specifier}`;
  };
  const addAll = (names: Map<string, 'value' | 'type'>, specifier: string) => {
    for (const [name, kind] of names) if (!scope.has(name)) scope.set(name, { specifier, kind });
  };
  addAll(exportedNames(path.join(root, source)), relativeSpecifier(source));
  const folder = packageFolderOf(source);
  const manifest = JSON.parse(fs.readFileSync(path.join(root, folder, 'package.json'), 'utf8'));
  const entries = (folderOfPackage: string, packageManifest: { name: string; exports?: Record<string, unknown> }) =>
    Object.entries(packageManifest.exports ?? {}).flatMap(([entry, conditions]) => {
      const sourceEntry = (conditions as { source?: string } | null)?.source;
      return typeof sourceEntry === 'string'
        ? [
            {
              specifier: entry === '.' ? packageManifest.name : `${packageManifest.name}/${entry.slice(2)}`,
              file: path.join(root, folderOfPackage, sourceEntry),
            },
          ]
        : [];
    });
  for (const { specifier, file } of entries(folder, manifest)) addAll(exportedNames(file), specifier);
  for (const file of sources.filter((candidate) => packageFolderOf(candidate) === folder))
    addAll(exportedNames(path.join(root, file)), relativeSpecifier(file));
  const dependencies = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }).filter((name) =>
    name.startsWith('@annet/'),
  );
  for (const readme of readmeFiles(root)) {
    const other = path.dirname(readme);
    const otherManifest = JSON.parse(fs.readFileSync(path.join(root, other, 'package.json'), 'utf8'));
    if (dependencies.includes(otherManifest.name))
      for (const { specifier, file } of entries(other, otherManifest)) addAll(exportedNames(file), specifier);
  }
  // Last, the classes and types of every package (a spec package's examples show it used by the
  // others); functions and variables stay out, so that a placeholder `input` is not model's input().
  for (const readme of readmeFiles(root).filter((file) => file.startsWith('packages/'))) {
    const other = path.dirname(readme);
    const otherManifest = JSON.parse(fs.readFileSync(path.join(root, other, 'package.json'), 'utf8'));
    for (const { specifier, file } of entries(other, otherManifest)) {
      addAll(new Map([...exportedNames(file)].filter(([name]) => /^[A-Z]/.test(name))), specifier);
    }
  }
  return scope;
}

/** What pass 1 learned about one example: names to declare, imports to leave out. */
interface Placeholders {
  readonly names: Set<string>;
  readonly withoutImport: Set<string>;
}

/**
 * Browser and Node globals that examples use as ordinary placeholder names (`history`, `module`):
 * the compiler finds the global, so pass 1 never reports them; an example that uses one without
 * declaring it means its own variable.
 */
const GLOBAL_NAMES = [
  'history',
  'module',
  'name',
  'length',
  'event',
  'status',
  'origin',
  'parent',
  'self',
  'top',
  'screen',
  'location',
  'external',
  'frames',
  'closed',
  'global',
  'exports',
];

function globalsUsedAsPlaceholders(code: string): string[] {
  return GLOBAL_NAMES.filter(
    (name) =>
      new RegExp(`(?<![.\\w$])${name}\\b(?!\\s*:)`).test(code) &&
      !new RegExp(`\\b(const|let|var|function|class)\\s+${name}\\b|[{,]\\s*${name}\\s*[,}]\\s*=`).test(code),
  );
}

interface Generated {
  readonly example: TsdocExample;
  readonly file: string;
  readonly codeStart: number;
  readonly codeLines: number;
}

function generate(
  examples: readonly TsdocExample[],
  root: string,
  sources: readonly string[],
  placeholders: Map<string, Placeholders>,
): Generated[] {
  fs.rmSync(tsdocFolder, { recursive: true, force: true });
  fs.mkdirSync(tsdocFolder, { recursive: true });
  const scopes = new Map<string, Map<string, Provided>>();
  const generated: Generated[] = [];
  examples.forEach((example, index) => {
    const file = path.join(tsdocFolder, `example-${String(index).padStart(4, '0')}.ts`);
    if (!scopes.has(example.source)) scopes.set(example.source, scopeFor(example.source, root, sources));
    const scope = scopes.get(example.source)!;
    const known = placeholders.get(file) ?? { names: new Set<string>(), withoutImport: new Set<string>() };
    const explicitImports = example.code.split('\n').filter((line) => /^\s*import\s/.test(line));
    const body = example.code
      .split('\n')
      .filter((line) => !/^\s*import\s/.test(line))
      .map((line) => line.replace(/^(\s*)export\s+/, '$1'));
    const imported = new Set(
      explicitImports.flatMap((line) =>
        [...line.matchAll(/([A-Za-z_$][\w$]*)\s*(?:,|\}|$)/g)].map((match) => match[1]),
      ),
    );
    const bySpecifier = new Map<string, string[]>();
    for (const [name, { specifier, kind }] of scope) {
      if (imported.has(name) || known.withoutImport.has(name)) continue;
      bySpecifier.set(specifier, [...(bySpecifier.get(specifier) ?? []), kind === 'type' ? `type ${name}` : name]);
    }
    const header = [
      `// Generated by tests/docs/tsdoc.ts from ${example.source}, the @example at line ${example.line}. Do not edit.`,
      ...explicitImports,
      ...[...bySpecifier].map(([specifier, names]) => `import { ${names.join(', ')} } from '${specifier}';`),
      'export async function example(): Promise<any> {',
      ...[...known.names, ...globalsUsedAsPlaceholders(example.code)].map((name) => `  let ${name}: any;`),
    ];
    fs.writeFileSync(file, [...header, ...body, '}', ''].join('\n'));
    generated.push({ example, file, codeStart: header.length + 1, codeLines: body.length });
  });
  // The playground's sources import Vite's `?worker` modules (typed by vite/client in the app's own
  // tsconfig, which is not reachable from here): declare that one form so its examples check.
  fs.writeFileSync(
    path.join(tsdocFolder, 'vite-worker-modules.d.ts'),
    "declare module '*?worker' {\n  const WorkerConstructor: new (options?: { name?: string }) => Worker;\n  export default WorkerConstructor;\n}\n",
  );
  fs.writeFileSync(
    path.join(tsdocFolder, 'tsconfig.json'),
    JSON.stringify(
      {
        extends: path.relative(tsdocFolder, path.join(root, 'tsconfig.base.json')),
        compilerOptions: {
          noEmit: true,
          types: ['node'],
          allowUnreachableCode: true,
          noImplicitAny: false,
          noImplicitThis: false,
        },
        include: ['*.ts'],
      },
      null,
      2,
    ),
  );
  return generated;
}

function compile(): { file: string; line: number; column: number; code: string; message: string }[] {
  const tsc = path.join(repositoryRoot, 'node_modules', '.bin', 'tsc');
  const run = spawnSync(tsc, ['--noEmit', '-p', path.join(tsdocFolder, 'tsconfig.json'), '--pretty', 'false'], {
    encoding: 'utf8',
    cwd: repositoryRoot,
    timeout: 600_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error !== undefined) throw run.error;
  return `${run.stdout}${run.stderr}`.split('\n').flatMap((line) => {
    const match = /^(.*?\.ts)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line);
    return match === null
      ? []
      : [
          {
            file: path.resolve(repositoryRoot, match[1]),
            line: Number(match[2]),
            column: Number(match[3]),
            code: match[4],
            message: match[5],
          },
        ];
  });
}

/** Type-checks every `@example`; returns the errors, each as `source.ts:line (@example): TSxxxx message`. */
export function checkTsdocExamples(root = repositoryRoot): { examples: number; errors: string[] } {
  const sources = sourceFilesWithExamples(root);
  const examples = sources.flatMap((source) => tsdocExamples(source, fs.readFileSync(path.join(root, source), 'utf8')));
  // Pass 1 finds the placeholders: names used but never defined (not constructed with `new`), and
  // imported names the example assigns to as if they were its own variables.
  let generated = generate(examples, root, sources, new Map());
  const placeholders = new Map<string, Placeholders>();
  for (const error of compile()) {
    const entry = generated.find((candidate) => candidate.file === error.file);
    if (entry === undefined) continue;
    const missing =
      /^Cannot find name '([^']+)'/.exec(error.message)?.[1] ??
      /^No value exists in scope for the shorthand property '([^']+)'/.exec(error.message)?.[1];
    const assignedImport = error.code === 'TS2632' ? /^Cannot assign to '([^']+)'/.exec(error.message)?.[1] : undefined;
    const name = missing ?? assignedImport;
    if (name === undefined) continue;
    const text = fs.readFileSync(error.file, 'utf8').split('\n')[error.line - 1] ?? '';
    if (missing !== undefined && /\bnew\s+$/.test(text.slice(0, error.column - 1))) continue;
    const known = placeholders.get(error.file) ?? { names: new Set<string>(), withoutImport: new Set<string>() };
    known.names.add(name);
    if (assignedImport !== undefined) known.withoutImport.add(name);
    placeholders.set(error.file, known);
  }
  generated = generate(examples, root, sources, placeholders);
  const errors = compile().map((error) => {
    const entry = generated.find((candidate) => candidate.file === error.file);
    if (entry === undefined) return `${path.relative(root, error.file)}:${error.line}: ${error.code} ${error.message}`;
    const offset = error.line - entry.codeStart;
    const where =
      offset >= 0 && offset < entry.codeLines
        ? `line ${offset + 1} of the @example at ${entry.example.source}:${entry.example.line}`
        : `the @example at ${entry.example.source}:${entry.example.line}`;
    return `${where}: ${error.code} ${error.message}\n    ${entry.example.code.split('\n').join('\n    ')}`;
  });
  return { examples: examples.length, errors };
}
