import fs from 'node:fs';
import path from 'node:path';

/** The repository root (this file lives in `tests/`). */
export const repositoryRoot = path.resolve(import.meta.dirname, '..');

/** One workspace package as the architecture checks see it. */
export interface WorkspacePackage {
  /** Folder relative to the root, such as `packages/tensor`. */
  folder: string;
  /** The parsed package.json. */
  manifest: {
    name: string;
    private?: boolean;
    type?: string;
    sideEffects?: boolean;
    engines?: Record<string, string>;
    license?: string;
    files?: string[];
    repository?: { directory?: string };
    exports?: Record<string, unknown>;
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
  };
  /** True for packages under `packages/` (published libraries). */
  isLibrary: boolean;
}

/** Every package.json under `packages/*` and `apps/*`. */
export function readWorkspacePackages(root = repositoryRoot): WorkspacePackage[] {
  const result: WorkspacePackage[] = [];
  for (const group of ['packages', 'apps']) {
    const groupFolder = path.join(root, group);
    if (!fs.existsSync(groupFolder)) continue;
    for (const entry of fs.readdirSync(groupFolder).sort()) {
      const manifestPath = path.join(groupFolder, entry, 'package.json');
      if (!fs.existsSync(manifestPath)) continue;
      result.push({
        folder: `${group}/${entry}`,
        manifest: JSON.parse(fs.readFileSync(manifestPath, 'utf8')),
        isLibrary: group === 'packages',
      });
    }
  }
  return result;
}

/** Every shipped `.ts` file under a folder (no tests, no `testing/` helpers), relative to `root`. */
export function sourceFiles(folder: string, root = repositoryRoot): string[] {
  const found: string[] = [];
  const walk = (relative: string) => {
    const absolute = path.join(root, relative);
    if (!fs.existsSync(absolute)) return;
    for (const entry of fs.readdirSync(absolute, { withFileTypes: true })) {
      const child = `${relative}/${entry.name}`;
      // Test-only code (tests and src/testing/ helpers) is excluded from the build, like here.
      if (entry.isDirectory()) {
        if (entry.name !== 'testing') walk(child);
      } else if (/\.(ts|js)$/.test(entry.name) && !/\.test(-d)?\.ts$/.test(entry.name)) found.push(child);
    }
  };
  walk(folder);
  return found.sort();
}

/** The module specifiers a TypeScript file imports or re-exports (static and dynamic). */
export function importSpecifiers(text: string): string[] {
  const withoutComments = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const specifiers: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of withoutComments.matchAll(pattern)) specifiers.push(match[1]);
  return specifiers;
}

/** The package a bare specifier names (`@annet/tensor/node` → `@annet/tensor`), or null for relative ones. */
export function packageOfSpecifier(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/')) return null;
  if (specifier.startsWith('node:')) return 'node:';
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}
