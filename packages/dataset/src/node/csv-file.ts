import type { IterableDataset } from '../datasets/iterable-dataset.js';
import type { Sample } from '../datasets/sample.js';
import { csvOptionNames, type CsvOptions } from '../readers/csv/csv-options.js';
import { readCsv, type CsvTable } from '../readers/csv/read-csv.js';
import {
  csvDataset,
  csvStreamOptionNames,
  streamCsv,
  type CsvChunk,
  type CsvStreamOptions,
} from '../readers/csv/stream-csv.js';
import { fileChunks, fileSource, readFileBytes } from './files.js';
import { checkOptionNames } from '../readers/check-options.js';

/**
 * Reads a whole CSV file (`.gz` decompressed) into tensors; see {@link readCsv}. Errors name the
 * file, line and column.
 *
 * @example
 * const { inputs, targets, classes } = await readCsvFile('iris.csv', { label: 'species', labelType: 'string' });
 */
export async function readCsvFile(path: string, options: CsvOptions = {}): Promise<CsvTable> {
  checkOptionNames(options, csvOptionNames, 'readCsv');
  const source = fileSource(path, options);
  return readCsv(await readFileBytes(path, 'readCsv', source), { ...options, source });
}

/**
 * Streams a CSV file in chunks of rows with bounded memory (64 KiB reads; `.gz` decompressed on
 * the fly); see {@link streamCsv}.
 *
 * @example
 * for await (const chunk of streamCsvFile('big.csv', { label: 'y', labelType: 'number' })) scaler.partialFit(chunk.inputs);
 */
export function streamCsvFile(path: string, options: CsvStreamOptions = {}): AsyncGenerator<CsvChunk> {
  checkOptionNames(options, csvStreamOptionNames, 'streamCsv');
  return streamCsv(fileChunks(path, 'streamCsv'), { ...options, source: fileSource(path, options) });
}

/**
 * A CSV file as a re-readable stream of `{ input, target }` samples for a {@link DataLoader};
 * every pass (epoch, resume) re-opens the file. See {@link csvDataset}.
 *
 * @example
 * const loader = new DataLoader(csvFileDataset('big.csv', { label: 'y', numClasses: 2 }), { batchSize: 256 });
 * for await (const { inputs, targets } of loader) trainStep(inputs, targets);
 */
export function csvFileDataset(path: string, options: CsvStreamOptions): IterableDataset<Sample> {
  checkOptionNames(options, csvStreamOptionNames, 'csvDataset');
  return csvDataset(() => fileChunks(path, 'streamCsv'), { ...options, source: fileSource(path, options) });
}
