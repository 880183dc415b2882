import fs from 'node:fs';
import path from 'node:path';
import { builtinModules } from 'node:module';
import {
  importSpecifiers,
  packageOfSpecifier,
  repositoryRoot,
  sourceFiles,
  type WorkspacePackage,
} from './workspace.js';

/**
 * The allowed dependency edges between annet packages (the root README's packages table). `'*'`
 * means any library package. Apps may depend on anything. `@annet/layer-api` is the spec at the
 * bottom (types and the one `AnnetError` class); `@annet/tensor` builds on it.
 */
export const allowedEdges: Readonly<Record<string, readonly string[] | '*'>> = {
  '@annet/layer-api': [],
  '@annet/tensor': ['@annet/layer-api'],
  '@annet/layers': ['@annet/tensor', '@annet/layer-api'],
  '@annet/optimizers': ['@annet/layer-api'],
  '@annet/dataset': ['@annet/tensor'],
  '@annet/serialization': ['@annet/tensor', '@annet/layer-api'],
  '@annet/model': '*',
  '@annet/interop': ['@annet/layer-api', '@annet/tensor', '@annet/layers', '@annet/model', '@annet/serialization'],
};

/** Packages whose dependency list must be exactly this (the optimizers promise). */
export const exactDependencies: Readonly<Record<string, readonly string[]>> = {
  '@annet/optimizers': ['@annet/layer-api'],
  '@annet/layer-api': [],
};

/** One broken rule: the file (or package.json) and what is wrong. */
export interface Violation {
  file: string;
  rule: string;
  detail: string;
}

const nodeBuiltins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

function declaredDependencies(pkg: WorkspacePackage): string[] {
  const { dependencies = {}, peerDependencies = {}, optionalDependencies = {} } = pkg.manifest;
  return [
    ...new Set([...Object.keys(dependencies), ...Object.keys(peerDependencies), ...Object.keys(optionalDependencies)]),
  ].sort();
}

function edgeAllowed(from: string, to: string): boolean {
  const allowed = allowedEdges[from];
  if (allowed === undefined) return true;
  if (allowed === '*') return to.startsWith('@annet/');
  return allowed.includes(to);
}

/** Dependency rules checked from package.json files. */
export function manifestViolations(packages: readonly WorkspacePackage[]): Violation[] {
  const violations: Violation[] = [];
  for (const pkg of packages) {
    const file = `${pkg.folder}/package.json`;
    const name = pkg.manifest.name;
    const dependencies = declaredDependencies(pkg);
    if (!pkg.isLibrary) continue;
    if (!(name in allowedEdges)) {
      violations.push({
        file,
        rule: 'known-package',
        detail: `${name} is not in the architecture's package list; add it through an issue`,
      });
    }
    for (const dependency of dependencies) {
      if (!dependency.startsWith('@annet/')) {
        violations.push({
          file,
          rule: 'no-third-party-runtime-dependencies',
          detail: `${name} depends on third-party package ${dependency}; libraries take no runtime dependencies`,
        });
      } else if (!edgeAllowed(name, dependency)) {
        violations.push({
          file,
          rule: 'allowed-edges',
          detail: `${name} may not depend on ${dependency} (allowed: ${JSON.stringify(allowedEdges[name])})`,
        });
      }
    }
    const exact = exactDependencies[name];
    if (exact && dependencies.join(',') !== exact.join(',')) {
      violations.push({
        file,
        rule: 'exact-dependencies',
        detail: `${name} must list exactly [${exact.join(', ')}], lists [${dependencies.join(', ')}]`,
      });
    }
  }
  return violations;
}

/** Import rules checked from each library's `src/`: declared edges only, no Math.random. */
export function sourceViolations(packages: readonly WorkspacePackage[], root = repositoryRoot): Violation[] {
  const violations: Violation[] = [];
  for (const pkg of packages) {
    if (!pkg.isLibrary) continue;
    const name = pkg.manifest.name;
    const declared = new Set(declaredDependencies(pkg));
    for (const file of sourceFiles(`${pkg.folder}/src`, root)) {
      const text = fs.readFileSync(path.join(root, file), 'utf8');
      if (/\bMath\s*\.\s*random\b/.test(text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''))) {
        violations.push({
          file,
          rule: 'no-math-random',
          detail: 'library code draws randomness from a seeded Rng, never Math.random',
        });
      }
      for (const specifier of importSpecifiers(text)) {
        const target = packageOfSpecifier(specifier);
        if (target === null || target === 'node:' || nodeBuiltins.has(specifier) || target === name) continue;
        if (!declared.has(target)) {
          violations.push({
            file,
            rule: 'declared-imports',
            detail: `imports ${specifier}, but ${name} does not declare ${target} in package.json`,
          });
        } else if (target.startsWith('@annet/') && !edgeAllowed(name, target)) {
          violations.push({
            file,
            rule: 'allowed-edges',
            detail: `imports ${specifier}; ${name} may not depend on ${target}`,
          });
        }
      }
    }
  }
  return violations;
}

/** Files reachable from `entry` through relative imports (the entry included). */
export function reachableFiles(entry: string, root = repositoryRoot): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    for (const specifier of importSpecifiers(text)) {
      if (!specifier.startsWith('.')) continue;
      const base = path.posix.join(path.posix.dirname(file), specifier).replace(/\.js$/, '');
      for (const candidate of [`${base}.ts`, `${base}/index.ts`]) {
        if (fs.existsSync(path.join(root, candidate))) {
          visit(candidate);
          break;
        }
      }
    }
  };
  visit(entry);
  return [...seen].sort();
}

/** A library's main entry (and all it imports) must not import Node built-ins. */
export function mainEntryViolations(packages: readonly WorkspacePackage[], root = repositoryRoot): Violation[] {
  const violations: Violation[] = [];
  for (const pkg of packages) {
    if (!pkg.isLibrary) continue;
    const entry = `${pkg.folder}/src/index.ts`;
    if (!fs.existsSync(path.join(root, entry))) continue;
    for (const file of reachableFiles(entry, root)) {
      if (file.includes('/testing/') || /\.test(-d)?\.ts$/.test(file)) {
        violations.push({
          file,
          rule: 'no-test-code-in-entry',
          detail: `test-only code is reachable from ${entry}; it is not built or shipped`,
        });
      }
      for (const specifier of importSpecifiers(fs.readFileSync(path.join(root, file), 'utf8'))) {
        if (specifier.startsWith('node:') || nodeBuiltins.has(specifier)) {
          violations.push({
            file,
            rule: 'browser-safe-main-entry',
            detail: `imports ${specifier} and is reachable from ${entry}; move Node-only code behind the ./node subpath export`,
          });
        }
      }
    }
  }
  return violations;
}

/**
 * The Node versions the packages run on: `require()` of an ES module works from Node 20.19 and
 * 22.12 (21.x and 22.0 to 22.11 need a flag), so CommonJS callers on older versions get ERR_REQUIRE_ESM.
 */
export const supportedNodeRange = '^20.19.0 || >=22.12.0';

/** Package hygiene for every library: ESM, types, source condition, files, sideEffects and so on. */
export function hygieneViolations(packages: readonly WorkspacePackage[], root = repositoryRoot): Violation[] {
  const violations: Violation[] = [];
  for (const pkg of packages) {
    if (!pkg.isLibrary) continue;
    const file = `${pkg.folder}/package.json`;
    const m = pkg.manifest;
    const fail = (rule: string, detail: string) => violations.push({ file, rule, detail });
    if (m.type !== 'module') fail('esm', `"type" must be "module", got ${JSON.stringify(m.type)}`);
    if (m.sideEffects !== false) fail('side-effects', '"sideEffects" must be false so bundlers can tree-shake');
    if (m.engines?.node !== supportedNodeRange)
      fail(
        'engines',
        `"engines.node" must be ${JSON.stringify(supportedNodeRange)} (require() of ESM packages needs Node 20.19+ or 22.12+), got ${JSON.stringify(m.engines?.node)}`,
      );
    if (m.license !== 'MIT') fail('license', `"license" must be "MIT", got ${JSON.stringify(m.license)}`);
    if (m.repository?.directory !== pkg.folder) fail('repository', `"repository.directory" must be "${pkg.folder}"`);
    if (!Array.isArray(m.files) || !m.files.includes('dist')) fail('files', '"files" must list "dist"');
    if (!fs.existsSync(path.join(root, pkg.folder, 'README.md'))) fail('readme', 'README.md is missing');
    const main = m.exports?.['.'] as Record<string, string> | undefined;
    if (!main || typeof main !== 'object' || !main.types || !main.source || !main.default) {
      fail('exports', 'exports["."] must have "source", "types" and "default" conditions');
    }
  }
  return violations;
}

/** Renders violations one per line: `file: [rule] detail`. */
export function formatViolations(violations: readonly Violation[]): string {
  return violations.map((violation) => `${violation.file}: [${violation.rule}] ${violation.detail}`).join('\n');
}
