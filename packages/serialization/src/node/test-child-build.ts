import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The workspace's `packages/` folder. */
const packagesFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Compiles `@annet/serialization/node` and what it imports (the `@annet/tensor` sources) to
 * plain JavaScript in `outFolder`, so a child Node 20 process (which cannot run TypeScript) can
 * run the real `saveCheckpoint`. Uses the workspace's TypeScript 7 with type checking off: about
 * a quarter of a second, and it needs no prior `pnpm build`, so it works the same locally and in
 * CI. Returns the path of the compiled `node.js` entry. (A test helper, excluded from the build.)
 */
export function compileNodeEntry(outFolder: string): { nodeEntry: string; tensorEntry: string } {
  const require = createRequire(import.meta.url);
  const compiler = path.join(path.dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
  const compiled = path.join(outFolder, 'packages');
  const config = {
    compilerOptions: {
      target: 'es2022',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      customConditions: ['source'],
      lib: ['es2022', 'dom'],
      types: [],
      rootDir: packagesFolder,
      outDir: compiled,
      noCheck: true,
      skipLibCheck: true,
      isolatedModules: true,
      verbatimModuleSyntax: true,
    },
    // Listed as roots: files reached only through node_modules would not be emitted.
    // layer-api's runtime files are reached first through tensor's node_modules link, so they
    // are listed too (its `.test-d.ts` and test files are not sources).
    files: [
      ...['serialization', 'tensor', 'layer-api'].map((name) =>
        path.join(packagesFolder, name, 'src', name === 'serialization' ? 'node.ts' : 'index.ts'),
      ),
      ...readdirSync(path.join(packagesFolder, 'layer-api', 'src'))
        .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('.test-d.ts'))
        .map((file) => path.join(packagesFolder, 'layer-api', 'src', file)),
    ],
  };
  mkdirSync(outFolder, { recursive: true });
  const configFile = path.join(outFolder, 'tsconfig.json');
  writeFileSync(configFile, JSON.stringify(config));
  execFileSync(process.execPath, [compiler, '-p', configFile], { stdio: 'pipe' });
  // The emitted files import '@annet/tensor' by name: point that name at the compiled sources.
  writeFileSync(path.join(compiled, 'package.json'), JSON.stringify({ type: 'module' }));
  for (const name of ['tensor', 'layer-api']) {
    const shim = path.join(compiled, 'node_modules', '@annet', name);
    mkdirSync(shim, { recursive: true });
    writeFileSync(
      path.join(shim, 'package.json'),
      JSON.stringify({ name: `@annet/${name}`, type: 'module', exports: './index.js' }),
    );
    writeFileSync(path.join(shim, 'index.js'), `export * from '../../../${name}/src/index.js';\n`);
  }
  return {
    nodeEntry: path.join(compiled, 'serialization', 'src', 'node.js'),
    tensorEntry: path.join(compiled, 'tensor', 'src', 'index.js'),
  };
}
