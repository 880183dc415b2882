import fs from 'node:fs';
import path from 'node:path';
import { formatConfusionMatrix, formatCount } from '@annet/model';
import { tensor } from '@annet/tensor';
import { RuntimeError } from '../errors.js';
import { modelTitle } from '../models.js';
import { renderCurvesSvg } from './curves-svg.js';
import { formatEpochTable } from './epoch-table.js';
import { metricsJson, type RunReport } from './run-report.js';

/**
 * Writes `metrics.json` and `curves.svg` into `out` (created if needed) and returns their paths.
 *
 * @example
 * writeOutputs('runs/a', report); // ['runs/a/metrics.json', 'runs/a/curves.svg']
 */
export function writeOutputs(out: string, report: RunReport): string[] {
  try {
    // The folder was proven (created) before training; recreate only its last level if it went away since.
    if (!fs.existsSync(out)) fs.mkdirSync(out);
    const metricsFile = path.join(out, 'metrics.json');
    const curvesFile = path.join(out, 'curves.svg');
    fs.writeFileSync(metricsFile, metricsJson(report));
    const title = `${modelTitle(report.settings.model)} on MNIST: ${formatCount(report.data.train)} training digits`;
    const validationLabel = report.data.validationIsTest ? 'test (t10k)' : 'validation';
    fs.writeFileSync(
      curvesFile,
      renderCurvesSvg({
        title,
        epochs: report.epochs,
        validationLabel,
        testAccuracy: report.data.validationIsTest ? undefined : report.test?.accuracy,
      }),
    );
    return [metricsFile, curvesFile];
  } catch (error) {
    throw new RuntimeError(`--out ${out}: ${(error as Error).message}`);
  }
}

/**
 * Prints the end of a run: the per-epoch summary, the final validation (or test) figures, the
 * confusion matrix, why training stopped early if it did, and the files written.
 *
 * @example
 * printResults(report, written, (text = '') => process.stdout.write(`${text}\n`));
 */
export function printResults(report: RunReport, written: readonly string[], print: (text?: string) => void): void {
  const isTest = report.data.validationIsTest;
  const label = isTest ? 'test' : 'validation';
  const { validation } = report;
  const percent = (value: number) => `${(value * 100).toFixed(2)}%`;
  print();
  print('Summary');
  print(formatEpochTable(report.epochs, label));
  print();
  print(
    `${isTest ? 'Test (t10k)' : 'Validation'}: loss ${validation.loss.toFixed(4)}  accuracy ${percent(validation.accuracy)}  precision ${percent(validation.precision)}  recall ${percent(validation.recall)}  F1 ${percent(validation.f1)} (macro)`,
  );
  print();
  print(`Confusion matrix (${label}; rows: true digit, columns: predicted digit)`);
  print(formatConfusionMatrix(tensor(validation.confusionMatrix, { dtype: 'int32' })));
  print();
  if (report.stopReason !== null) print(`Stopped early: ${report.stopReason}`);
  print('Wrote');
  for (const file of written) print(`  ${file}`);
  print(`Total time ${report.totalSeconds.toFixed(1)} s`);
}
