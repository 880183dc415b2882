/**
 * The one vitest setup file of the repository (wired in `vitest.shared.ts`, so every package and the
 * root configuration load it before each test file).
 *
 * 1. Every fast-check property runs from one fixed seed, so a run is the same on every machine and
 *    every day. `ANNET_TEST_SEED=<integer>` runs another seed; `ANNET_TEST_SEED=random` draws one
 *    (printed, so the run can be replayed). fast-check prints `{ seed, path }` with every
 *    counterexample; `ANNET_TEST_SEED=<seed>` replays it.
 * 2. A property whose runs (generation, predicate and shrinking together) go past a time limit fails
 *    instead of shrinking for ever.
 * 3. A predicate that changes the values it was given fails, naming the argument: fast-check replays
 *    those values while shrinking, so a mutated value makes shrinking wander (issue 13).
 *
 * fast-check is loaded only for a test file that uses it (directly or through the relative imports
 * it reaches): a worker that never loads it keeps the smaller heap the memory tests measure.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { describeMutation, snapshotValue } from './generated-values.ts';

/** The seed of every property unless `ANNET_TEST_SEED` says otherwise. */
export const DEFAULT_TEST_SEED = 20_261_203;
/** A property (all its runs and its shrinking) that takes longer than this fails. */
export const PROPERTY_TIME_LIMIT_MS = 120_000;

/** The seed `ANNET_TEST_SEED` asks for: unset or empty → the default, `random` → a fresh one, else an integer. */
export function resolveTestSeed(
  requested: string | undefined,
  draw: () => number = () => Math.floor(Math.random() * 2 ** 31),
): number {
  if (requested === undefined || requested.trim() === '') return DEFAULT_TEST_SEED;
  if (requested.trim() === 'random') return draw();
  const seed = Number(requested);
  if (!Number.isSafeInteger(seed))
    throw new Error(`ANNET_TEST_SEED: got ${JSON.stringify(requested)}, expected an integer or "random"`);
  return seed | 0;
}

/** Whether `file` or a module it imports by relative path (followed `depth` levels) names fast-check. */
export function usesFastCheck(file: string, depth = 4, seen = new Set<string>()): boolean {
  if (seen.has(file) || !fs.existsSync(file)) return false;
  seen.add(file);
  const text = fs.readFileSync(file, 'utf8');
  if (/from\s+['"]fast-check['"]|import\(\s*['"]fast-check['"]/.test(text)) return true;
  if (depth === 0) return false;
  for (const [, specifier] of text.matchAll(/(?:from|import\()\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const resolved = path.resolve(path.dirname(file), specifier);
    const candidates = [resolved, resolved.replace(/\.js$/, '.ts'), `${resolved}.ts`, path.join(resolved, 'index.ts')];
    if (candidates.some((candidate) => candidate.endsWith('.ts') && usesFastCheck(candidate, depth - 1, seen)))
      return true;
  }
  return false;
}

const installed = Symbol.for('annet.test-setup.fast-check');
const registry = globalThis as typeof globalThis & { [installed]?: number };
const testFile = expect.getState().testPath;

// fast-check is loaded once per worker while this file runs before every test file: configure it once.
if (registry[installed] === undefined && (testFile === undefined || usesFastCheck(testFile))) {
  const { default: fc } = await import('fast-check');
  const seed = resolveTestSeed(process.env.ANNET_TEST_SEED);
  registry[installed] = seed;
  if (seed !== DEFAULT_TEST_SEED)
    process.stderr.write(`fast-check: seed ${seed} (replay with ANNET_TEST_SEED=${seed})\n`);
  fc.configureGlobal({
    ...fc.readConfigureGlobal(),
    seed,
    interruptAfterTimeLimit: PROPERTY_TIME_LIMIT_MS,
    markInterruptAsFailure: true,
  });
  fc.installGlobalPlugin(() => {
    // Once a run has mutated its values, shrinking from them is meaningless: stop at the first one.
    let mutated = false;
    return {
      decorateRun: (nestedRun) => (value) => {
        if (mutated) return new fc.PreconditionFailure(true);
        let before: unknown;
        try {
          before = snapshotValue(value);
        } catch {
          return nestedRun(value);
        }
        // fast-check asks that a decorated run never throws: a failed comparison keeps the run's outcome.
        const verdict = <Outcome>(outcome: Outcome): Outcome | { error: Error } => {
          try {
            const mutation = describeMutation(before, value);
            if (mutation === undefined) return outcome;
            mutated = true;
            return { error: new Error(mutation) };
          } catch {
            return outcome;
          }
        };
        const outcome = nestedRun(value);
        return outcome instanceof Promise ? outcome.then(verdict) : (verdict(outcome) as typeof outcome);
      },
    };
  });
}
