import fs from 'node:fs';
import path from 'node:path';
import { formatCount, formatTable } from '@annet/model';
import { RuntimeError } from '../errors.js';
import { renderCurvesSvg } from '../report/curves-svg.js';
import { formatEpochTable } from '../report/epoch-table.js';
import { metricsJson, type EpochRecord } from '../report/run-report.js';
import type { TagEvaluation } from './tag-evaluation.js';
import type { TagSettings } from './tag-settings.js';

/**
 * Everything a tag run writes to `metrics.json`.
 *
 * @example
 * fs.writeFileSync('metrics.json', metricsJson(report satisfies TagRunReport));
 */
export interface TagRunReport {
  readonly tool: 'annet-train';
  readonly task: 'tag';
  readonly settings: TagSettings;
  readonly data: {
    readonly source: string;
    readonly documents: { readonly train: number; readonly validation: number; readonly test: number };
    readonly sentences: { readonly train: number; readonly validation: number; readonly test: number };
    readonly tokens: { readonly train: number; readonly validation: number; readonly test: number };
  };
  readonly vocabulary: { readonly words: number; readonly tags: number };
  readonly model: {
    readonly name: string;
    readonly title: string;
    readonly parameters: number;
    readonly architecture: unknown;
  };
  readonly epochs: readonly EpochRecord[];
  readonly validation: TagEvaluation;
  readonly test: TagEvaluation;
  readonly totalSeconds: number;
  readonly stopReason: string | null;
  readonly resumedFrom: string | null;
}

/**
 * Writes `metrics.json` and `curves.svg` into `out` and returns their paths.
 *
 * @example
 * writeTagOutputs('runs/a', report); // ['runs/a/metrics.json', 'runs/a/curves.svg']
 */
export function writeTagOutputs(out: string, report: TagRunReport): string[] {
  try {
    if (!fs.existsSync(out)) fs.mkdirSync(out);
    const metricsFile = path.join(out, 'metrics.json');
    const curvesFile = path.join(out, 'curves.svg');
    fs.writeFileSync(metricsFile, metricsJson(report));
    const title = `${report.model.title} on Brown: ${formatCount(report.data.tokens.train)} training tokens`;
    fs.writeFileSync(
      curvesFile,
      renderCurvesSvg({
        title,
        epochs: report.epochs,
        validationLabel: 'validation',
        testAccuracy: report.test.accuracy,
      }),
    );
    return [metricsFile, curvesFile];
  } catch (error) {
    throw new RuntimeError(`--out ${out}: ${(error as Error).message}`);
  }
}

const percent = (value: number) => (Number.isFinite(value) ? `${(value * 100).toFixed(2)}%` : String(value));

/**
 * Prints the end of a tag run: the per-epoch summary, token accuracy on the validation and test
 * documents beside the most-frequent-tag baseline on the same tokens, the most confused tags,
 * and the files written.
 *
 * @example
 * printTagResults(report, written, (text = '') => process.stdout.write(`${text}\n`));
 */
export function printTagResults(
  report: TagRunReport,
  written: readonly string[],
  print: (text?: string) => void,
): void {
  print();
  print('Summary (samples are sentences)');
  print(formatEpochTable(report.epochs, 'validation'));
  print();
  print(
    'Token accuracy on the held-out documents (baseline: each word’s most frequent training tag, unseen words the most frequent tag overall):',
  );
  const row = (name: string, evaluation: TagEvaluation, documents: number) => [
    name,
    String(documents),
    formatCount(evaluation.tokens),
    percent(evaluation.accuracy),
    percent(evaluation.baselineAccuracy),
    percent(evaluation.knownWordAccuracy),
    percent(evaluation.unknownWordAccuracy),
    percent(evaluation.unknownRate),
  ];
  print(
    formatTable(
      ['part', 'documents', 'tokens', 'tagger', 'baseline', 'known words', 'unknown words', 'unknown share'],
      [
        row('validation', report.validation, report.data.documents.validation),
        row('test', report.test, report.data.documents.test),
      ],
      { align: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'] },
    ),
  );
  print();
  print('Most confused tags (test; true tag → predicted tag)');
  print(
    formatTable(
      ['true', 'predicted', 'count', 'share of errors'],
      report.test.mostConfused.map((pair) => [
        pair.expected,
        pair.predicted,
        String(pair.count),
        percent(pair.count / Math.max(1, Math.round((1 - report.test.accuracy) * report.test.tokens))),
      ]),
      { align: ['left', 'left', 'right', 'right'] },
    ),
  );
  print();
  if (report.stopReason !== null) print(`Stopped early: ${report.stopReason}`);
  print('Wrote');
  for (const file of written) print(`  ${file}`);
  print(`Total time ${report.totalSeconds.toFixed(1)} s`);
}
