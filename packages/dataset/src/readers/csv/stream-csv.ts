import { AnnetError, Tensor } from '@annet/tensor';
import { IterableDataset } from '../../datasets/iterable-dataset.js';
import type { Sample } from '../../datasets/sample.js';
import type { StreamSource } from '../../datasets/stream-values.js';
import { byteStream, isBlob, isResponse } from '../../byte-source.js';
import { textChunks, type TextChunk } from '../text/text-chunks.js';
import type { CsvPlan } from './csv-columns.js';
import { csvOptionNames, type CsvOptions } from './csv-options.js';
import { CsvRecordReader } from './csv-record-reader.js';
import { CsvRows } from './csv-rows.js';
import { describePlan, type CsvTable } from './read-csv.js';
import { checkOptionNames } from '../check-options.js';

/**
 * Options of {@link streamCsv}: the CSV options plus the chunk size.
 *
 * @example
 * streamCsv(stream, { label: 'y', chunkRows: 4096 });
 */
export interface CsvStreamOptions extends CsvOptions {
  /** Rows per yielded chunk (default 1024). */
  readonly chunkRows?: number;
}

/** Every option name of {@link CsvStreamOptions}. */
export const csvStreamOptionNames: readonly string[] = [...csvOptionNames, 'chunkRows'];

/**
 * One block of rows from {@link streamCsv}: the same fields as a {@link CsvTable}, for `rows` rows.
 *
 * @example
 * for await (const { inputs, targets, rows } of streamCsv(stream, { label: 'y' })) total += rows;
 */
export interface CsvChunk extends Omit<CsvTable, 'droppedRows'> {
  /** Rows in this chunk. */
  readonly rows: number;
  /** Rows dropped so far in the stream. */
  readonly droppedRows: number;
}

/**
 * What the streaming CSV readers accept: text or byte chunks, a whole string or byte array, or a
 * `File`/`Blob`/`Response` (read in chunks: a `File` is re-readable, so `csvDataset(() => file)`
 * re-reads it every epoch and resumes exactly).
 *
 * @example
 * const source: CsvStreamSource = fs.createReadStream('big.csv');
 */
export type CsvStreamSource = StreamSource<TextChunk> | string | Uint8Array | ArrayBuffer | Blob | Response;

/** Wraps a whole string or byte array as a one-chunk stream (both are iterable element by element); reads a `File`, `Blob` or `Response` as a byte stream. */
function asChunks(source: CsvStreamSource): StreamSource<TextChunk> {
  if (isBlob(source) || isResponse(source)) return byteStream(source, 'streamCsv');
  return typeof source === 'string' || source instanceof ArrayBuffer || ArrayBuffer.isView(source)
    ? [source as TextChunk]
    : source;
}

/**
 * Reads CSV from a stream (an async iterable of strings or bytes, such as a Node file stream, or
 * a web `ReadableStream`) in chunks of `chunkRows` rows. Memory stays at about one input chunk
 * plus one block of rows, whatever the file size. Category and class lists must be given up
 * front (`categories`, `classes`), so codes are the same in every chunk.
 *
 * @example
 * const response = await fetch('/data/big.csv');
 * for await (const chunk of streamCsv(response.body!, { label: 'y', labelType: 'number' })) scaler.partialFit(chunk.inputs);
 */
export async function* streamCsv(source: CsvStreamSource, options: CsvStreamOptions = {}): AsyncGenerator<CsvChunk> {
  checkOptionNames(options, csvStreamOptionNames, 'streamCsv');
  const chunkRows = options.chunkRows ?? 1024;
  if (!Number.isSafeInteger(chunkRows) || chunkRows < 1)
    throw new AnnetError('INVALID_ARGUMENT', 'streamCsv', `chunkRows must be a positive integer, got ${chunkRows}`);
  const dtype = options.dtype ?? 'float32';
  const ready: CsvChunk[] = [];
  let block: CsvRows | undefined;
  const toChunk = (plan: CsvPlan, rows: CsvRows, droppedRows: number): CsvChunk => ({
    ...describePlan(plan),
    ...rows.toTensors(),
    rows: rows.rows,
    droppedRows,
  });
  const reader = new CsvRecordReader(options, true, (decoder) => {
    const plan = reader.plan!;
    block ??= new CsvRows(
      plan.featureColumns.length,
      dtype,
      plan.labelColumn === -1 ? undefined : plan.labelType === 'number' ? dtype : 'int32',
      chunkRows,
    );
    block.add(decoder);
    if (block.rows === chunkRows) {
      ready.push(toChunk(plan, block, decoder.droppedRows));
      block = undefined;
    }
  });
  for await (const text of textChunks(asChunks(source), options.source ?? 'input', 'streamCsv')) {
    reader.push(text);
    while (ready.length > 0) yield ready.shift()!;
  }
  reader.finish();
  if (block) yield toChunk(reader.plan!, block, reader.decoder!.droppedRows);
}

/**
 * A streaming CSV file as an {@link IterableDataset} of `{ input, target }` samples (one per
 * row, viewing the chunk's arrays), ready for a {@link DataLoader}. `open` is called at every
 * pass, so each epoch (and each resume) re-reads the file.
 *
 * @example
 * const rows = csvDataset(() => fs.createReadStream('big.csv'), { label: 'y', numClasses: 10 });
 * const loader = new DataLoader(rows, { batchSize: 256, shuffle: true, shuffleBufferSize: 10_000 });
 */
export function csvDataset(open: () => CsvStreamSource, options: CsvStreamOptions): IterableDataset<Sample> {
  checkOptionNames(options, csvStreamOptionNames, 'csvDataset');
  if (options?.label === undefined)
    throw new AnnetError(
      'INVALID_ARGUMENT',
      'csvDataset',
      'a dataset of samples needs a label column (options.label); use streamCsv for unlabeled data',
    );
  return new IterableDataset(async function* () {
    for await (const chunk of streamCsv(open(), options)) {
      const features = chunk.columns.length;
      const inputs = chunk.inputs.data;
      const targets = chunk.targets!.data;
      for (let row = 0; row < chunk.rows; row++) {
        yield {
          input: new Tensor(inputs, [features], undefined, row * features),
          target: new Tensor(targets, [], undefined, row),
        };
      }
    }
  });
}
