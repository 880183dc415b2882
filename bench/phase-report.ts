// With --phases: the MLP's phase profile and how close its whole step comes to its matmuls alone.
import { msOf, printedLines, runName, type BenchLine } from './report.js';

/** The step's target from the performance issue: the whole step within 1.3x its matmuls at the ceiling. */
const target = 1.3;

const sameRun = (a: BenchLine, b: BenchLine): boolean =>
  a.batch === b.batch && a.backend === b.backend && (a.threads ?? 1) === (b.threads ?? 1) && a.node === b.node;

/**
 * Markdown for the summary: the MLP's phases per run (ms per step), then per run with a ceiling
 * measured on the same backend and threads: matmul-only ms, whole-step ms, their ratio (target
 * ≤ 1.3) and the fraction of the ceiling the whole step reaches (matmul ms / step ms).
 *
 * @example
 * console.error(mlpPhaseReport().join('\n'));
 */
export function mlpPhaseReport(): string[] {
  const runs = printedLines().filter((line) => line.model === 'mlp' && typeof line.phases === 'object');
  if (runs.length === 0) return [];
  const names = Object.keys(runs[0].phases as object);
  const rows = [
    '### mlp phase profile (ms per step)',
    '',
    `| batch | run | threads | ${names.map((name) => (name === 'batch' ? 'batch copy' : name)).join(' | ')} | whole step |`,
    `| ---: | --- | ---: |${' ---: |'.repeat(names.length + 1)}`,
  ];
  for (const run of runs) {
    const phases = run.phases as Record<string, number>;
    rows.push(
      `| ${String(run.batch)} | ${runName(run)} | ${String(run.threads ?? 1)} | ${names.map((name) => phases[name].toFixed(3)).join(' | ')} | ${msOf(run).toFixed(3)} |`,
    );
  }
  const ceilings = printedLines().filter((line) => line.kind === 'matmul-ceiling');
  if (ceilings.length > 0) {
    rows.push(
      '',
      `### mlp: fraction of the SIMD matmul ceiling (the step's own ${(ceilings[0].matmuls as string[]).length} products alone, resident operands, fastest of many samples; target: whole step <= ${target}x its matmuls)`,
      '',
      '| batch | run | threads | matmuls alone, ms (GFLOP/s) | whole step, ms | step / matmuls | fraction of ceiling |',
      '| ---: | --- | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const ceiling of ceilings) {
      const run = runs.find((entry) => sameRun(entry, ceiling));
      if (run === undefined) continue;
      const matmulMs = ceiling.matmulMs as number;
      const stepMs = msOf(run);
      rows.push(
        `| ${String(run.batch)} | ${runName(run)} | ${String(run.threads ?? 1)} | ${matmulMs.toFixed(3)} (${String(ceiling.gflops)}) | ${stepMs.toFixed(3)} | ${(stepMs / matmulMs).toFixed(2)}x | ${Math.round((100 * matmulMs) / stepMs)} % |`,
      );
    }
  }
  return [...rows, ''];
}
