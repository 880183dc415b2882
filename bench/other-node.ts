import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { childArguments, settings } from './options.js';
import { throughputOf, type BenchLine } from './report.js';

/**
 * The same annet runs under another Node (`--node 22`): `npx -y node@VERSION` fetches the npm
 * package `node`, which carries the binary, so nothing comes from outside the registry. Relaxed
 * SIMD needs no flag there, so the "relaxed" backend is left out (its "auto" selects it). The
 * references do not run again. Returns the child's run lines (they carry its `node`), or one
 * "skipped" line.
 *
 * @example
 * for (const line of runOtherNode('22')) print(line);
 */
export function runOtherNode(version: string): BenchLine[] {
  const self = fileURLToPath(new URL('./train.js', import.meta.url));
  const withoutRelaxed = (backends: readonly string[]) => backends.filter((backend) => backend !== 'relaxed');
  const overrides = {
    backends: withoutRelaxed(settings.backends),
    cnnBackends: withoutRelaxed(settings.cnnBackends),
    stepBackends: withoutRelaxed(settings.stepBackends),
    withReference: false,
  };
  const result = spawnSync('npx', ['-y', `node@${version}`, self, ...childArguments(overrides)], {
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    const reason = (result.error?.message ?? result.stderr ?? '').trim().split('\n').pop();
    return [{ node: version, skipped: `npx -y node@${version} failed: ${reason}` }];
  }
  return result.stdout
    .trim()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as BenchLine)
    .filter((line) => throughputOf(line) !== undefined || line.kind === 'matmul-ceiling');
}
