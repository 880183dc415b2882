// What `pnpm bench:train` prints: one JSON line per run on stdout (recorded here as it goes), and
// at the end one Markdown table per workload on stderr, built from the recorded lines.

import { primaryMalloc } from './python.js';

/** One printed JSON line: a run of annet or of a reference, a ratio, a ceiling, or a skipped run. */
export type BenchLine = Record<string, unknown>;

const recorded: BenchLine[] = [];
const descriptions = new Map<string, string>();

/** NumPy's and PyTorch's lines. */
export const isReference = (line: BenchLine): boolean => /^(numpy|pytorch)/.test(String(line.backend));

/** The reference lines annet's runs are divided by: the first --reference-malloc setting's. */
const isPrimaryReference = (line: BenchLine): boolean => isReference(line) && line.malloc === primaryMalloc();

/** Samples or tokens per second of a run line, or undefined for other lines. */
export function throughputOf(line: BenchLine): number | undefined {
  const value = line.samplesPerSecond ?? line.tokensPerSecond;
  return typeof value === 'number' ? value : undefined;
}

/** "samples" or "tokens": what a workload's throughput counts. */
export const unitOf = (line: BenchLine): string => ('tokensPerSecond' in line ? 'tokens' : 'samples');

/** Milliseconds per optimizer step of a run line. */
export const msOf = (line: BenchLine): number => (line.msPerStep ?? line.msPerIteration) as number;

/**
 * Prints `line` as one JSON line and records it for the summary. annet's lines get the Node
 * version that ran them (`node`) unless they carry one (lines of a `--node` child).
 *
 * @example
 * print({ model: 'gpt', backend: 'wasm-simd', tokensPerSecond: 9000, msPerIteration: 85 });
 */
export function print(run: object): void {
  const line = run as BenchLine;
  const full = isReference(line) || line.node !== undefined ? line : { ...line, node: process.versions.node };
  recorded.push(full);
  console.log(JSON.stringify(full));
}

/** Every line printed so far. */
export const printedLines = (): readonly BenchLine[] => recorded;

/**
 * Sets the heading of a workload's summary table: what was trained, on what, for how long.
 *
 * @example
 * describe('gpt', "nanoGPT's baby GPT, batch 12 × block 64, AdamW, 30 timed iterations");
 */
export function describe(model: string, text: string): void {
  descriptions.set(model, text);
}

/**
 * After the runs, for every reference line: one ratio line per annet run of the same workload
 * and batch, annet's throughput over the reference's (above 1: annet is faster), with both
 * parameter counts and whether they agree (a warning on stderr when they do not).
 *
 * @example
 * printRatios('mlp', 'Numpy'); // {"model":"mlp","batch":64,...,"ratioAnnetToNumpy":0.52}
 */
export function printRatios(model: string, referenceName: 'Numpy' | 'Torch'): void {
  const runs = recorded.filter((line) => line.model === model && throughputOf(line) !== undefined);
  for (const reference of runs.filter(isPrimaryReference)) {
    const unit = unitOf(reference) === 'tokens' ? 'Tokens' : 'Samples';
    for (const run of runs.filter((line) => !isReference(line) && line.batch === reference.batch)) {
      print({
        model,
        batch: run.batch,
        node: run.node,
        annetBackend: run.backend,
        threads: run.threads ?? 1,
        [`annet${unit}PerSecond`]: throughputOf(run),
        [`${referenceName.toLowerCase()}${unit}PerSecond`]: throughputOf(reference),
        [`ratioAnnetTo${referenceName}`]: Number((throughputOf(run)! / throughputOf(reference)!).toFixed(3)),
        ...(run.parameters === undefined
          ? {}
          : { parameters: run.parameters, referenceParameters: reference.parameters }),
        ...(run.parameters === undefined ? {} : { parametersAgree: run.parameters === reference.parameters }),
      });
      if (run.parameters !== reference.parameters)
        console.error(
          `bench:train: ${model}: annet has ${String(run.parameters)} parameters, ${String(reference.backend)} ${String(reference.parameters)}: not the same model`,
        );
    }
  }
}

const cell = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

/** How a table names a run: the reference's backend, or `annet <kernels>` with the Node version when it is another. */
export function runName(line: BenchLine): string {
  if (isReference(line)) return String(line.backend);
  const node = line.node === process.versions.node ? '' : ` (Node ${String(line.node)})`;
  return `annet ${String(line.backend)}${node}`;
}

/** The Markdown table of one workload: its runs (reference last per batch) and their ratio to the reference. */
function workloadTable(model: string): string[] {
  const runs = recorded.filter((line) => line.model === model && throughputOf(line) !== undefined);
  const skipped = recorded.filter((line) => line.model === model && typeof line.skipped === 'string');
  if (runs.length === 0 && skipped.length === 0) return [];
  const unit = runs.length > 0 ? unitOf(runs[0]) : 'samples';
  const heading = `### ${model}${descriptions.has(model) ? `: ${descriptions.get(model)}` : ''}`;
  const rows = [
    heading,
    '',
    `| batch | run | threads | ms/step | ${unit}/s | final loss | parameters | ratio to reference |`,
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const batches = [...new Set(runs.map((line) => line.batch as number))];
  for (const batch of batches) {
    const ofBatch = runs.filter((line) => line.batch === batch);
    const reference = ofBatch.find(isPrimaryReference);
    for (const line of [...ofBatch.filter((entry) => !isReference(entry)), ...ofBatch.filter(isReference)]) {
      const ratio = reference === undefined ? '' : (throughputOf(line)! / throughputOf(reference)!).toFixed(2);
      rows.push(
        `| ${batch} | ${runName(line)} | ${cell(line.threads ?? 1)} | ${msOf(line).toFixed(2)} | ${throughputOf(line)} | ${cell(line.finalLoss)} | ${cell(line.parameters)} | ${ratio} |`,
      );
    }
  }
  for (const line of skipped) rows.push('', `${String(line.backend ?? line.node)} skipped: ${String(line.skipped)}`);
  const counts = new Set(runs.map((line) => line.parameters).filter((count) => count !== undefined));
  if (counts.size > 1) rows.push('', `**parameter counts differ between runs: ${[...counts].join(' vs ')}**`);
  return [...rows, ''];
}

/**
 * Prints the summary to stderr: one Markdown table per workload, then `extra` (the MLP's phase
 * profile and matmul ceiling, with `--phases`).
 *
 * @example
 * printSummary(['mlp', 'gpt'], 'synthetic data, seed 1', []);
 */
export function printSummary(models: readonly string[], heading: string, extra: readonly string[]): void {
  const tables = models.flatMap(workloadTable);
  const unplaced = recorded.filter((line) => typeof line.skipped === 'string' && !models.includes(String(line.model)));
  if (tables.length === 0 && extra.length === 0 && unplaced.length === 0) return;
  console.error(`\n## pnpm bench:train: ${heading}\n`);
  const roundTrips = recorded.filter((line) => line.kind === 'cross-core').map((line) => line.roundTripNs);
  if (roundTrips.length > 0)
    console.error(
      `Cross-core cache-line round trip before each kernel-threads run: ${roundTrips.join(', ')} ns (2-thread figures depend on it: ~85 and ~450 ns were both seen on the 2-vCPU development VM).\n`,
    );
  for (const row of [...tables, ...extra]) console.error(row);
  for (const line of unplaced) console.error(`skipped (${JSON.stringify(line)})`);
}
