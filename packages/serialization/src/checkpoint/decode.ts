import type { JsonObject, JsonValue } from '@annet/layer-api';
import { crc32, ioContext, ioError, type IoContext } from '@annet/tensor';
import { tensorsFromLayout } from '../safetensors/decode.js';
import { readSafetensorsLayout } from '../safetensors/header.js';
import { checkpointFormat, checkpointFormatVersion, type Checkpoint, type OptimizerDocument } from './checkpoint.js';
import { dataChecksumKey, formatChecksum, headerChecksum, headerChecksumKey } from './checksums.js';
import { jsonDepth, maximumJsonDepth } from './json-check.js';
import { checkTrainingRecord } from './training-record.js';

/** Options of {@link decodeCheckpoint}. */
export interface DecodeCheckpointOptions {
  /** Name of the file, used in every error message (default `<bytes>`). */
  readonly source?: string;
  /** Give every tensor its own array instead of viewing `bytes` (see `decodeSafetensors`). */
  readonly copy?: boolean;
}

/** A string for a message, quoted and cut at 60 characters (metadata values can be 100 MB long). */
function quoted(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

function required(metadata: Readonly<Record<string, string>>, key: string, context: IoContext): string {
  const value = metadata[key];
  if (typeof value !== 'string' || !Object.hasOwn(metadata, key))
    throw ioError(context, 'PARSE_ERROR', `the checkpoint metadata lacks '${key}'`);
  return value;
}

function checkFormat(metadata: Readonly<Record<string, string>>, context: IoContext): void {
  if (!Object.hasOwn(metadata, 'format')) {
    throw ioError(
      context,
      'PARSE_ERROR',
      "not an annet checkpoint: its metadata has no 'format' (a plain safetensors file? read it with decodeSafetensors)",
    );
  }
  if (metadata.format !== checkpointFormat)
    throw ioError(
      context,
      'PARSE_ERROR',
      `not an annet checkpoint: format is ${quoted(metadata.format)}, expected '${checkpointFormat}'`,
    );
  const version = required(metadata, 'formatVersion', context);
  if (version !== String(checkpointFormatVersion)) {
    throw ioError(
      context,
      /^[1-9][0-9]*$/.test(version) ? 'UNSUPPORTED' : 'PARSE_ERROR',
      `checkpoint format version ${quoted(version)} is not supported; this reader knows version ${checkpointFormatVersion} (a newer annet wrote it? upgrade @annet/serialization)`,
    );
  }
}

function verifyChecksum(stored: string, computed: number, what: string, context: IoContext): void {
  if (!/^[0-9a-f]{8}$/.test(stored))
    throw ioError(context, 'PARSE_ERROR', `the stored ${what} checksum ${quoted(stored)} is not eight hex digits`);
  if (stored !== formatChecksum(computed)) {
    throw ioError(
      context,
      'CHECKSUM_MISMATCH',
      `${what} checksum mismatch (stored ${stored}, computed ${formatChecksum(computed)}): the file is corrupt; load an earlier checkpoint`,
    );
  }
}

function parseDocument(metadata: Readonly<Record<string, string>>, key: string, context: IoContext): JsonValue {
  const text = required(metadata, key, context);
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch (error) {
    throw ioError(context, 'PARSE_ERROR', `metadata '${key}' is not valid JSON (${(error as Error).message})`);
  }
  if (jsonDepth(value, maximumJsonDepth) > maximumJsonDepth)
    throw ioError(context, 'PARSE_ERROR', `metadata '${key}' is nested more than ${maximumJsonDepth} levels deep`);
  return value;
}

function isObject(value: JsonValue): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseCount(metadata: Readonly<Record<string, string>>, key: string, context: IoContext): number {
  const text = required(metadata, key, context);
  const value = Number(text);
  if (!/^(0|[1-9][0-9]*)$/.test(text) || !Number.isSafeInteger(value))
    throw ioError(context, 'PARSE_ERROR', `metadata '${key}' must be a non-negative integer, got ${quoted(text)}`);
  return value;
}

function parseOptimizer(metadata: Readonly<Record<string, string>>, context: IoContext): OptimizerDocument | null {
  const optimizer = parseDocument(metadata, 'optimizer', context);
  if (optimizer === null) return null;
  if (
    !isObject(optimizer) ||
    typeof optimizer.type !== 'string' ||
    !isObject(optimizer.config) ||
    !isObject(optimizer.state)
  ) {
    throw ioError(
      context,
      'PARSE_ERROR',
      "metadata 'optimizer' must be null or an object with a string 'type' and objects 'config' and 'state'",
    );
  }
  return optimizer as OptimizerDocument;
}

/**
 * Decodes a checkpoint written by {@link encodeCheckpoint}. In order: the safetensors structure
 * (see `decodeSafetensors`), the format name and version, the header checksum, the data
 * checksum, then each JSON document's type (and the types of the training record `fit` keeps in
 * `extra`: see `checkTrainingRecord`). Any failure is an AnnetError naming `source` and the
 * problem (a checksum mismatch has code `CHECKSUM_MISMATCH`); there is no partial result.
 *
 * @example
 * const checkpoint = decodeCheckpoint(await readFile('run/model.ckpt'), { source: 'run/model.ckpt' });
 * checkpoint.step; // 1200
 */
export function decodeCheckpoint(bytes: Uint8Array, options: DecodeCheckpointOptions = {}): Checkpoint {
  return decodeCheckpointWith(bytes, options, crc32);
}

/**
 * {@link decodeCheckpoint} with a given CRC-32 implementation for the data section (the Node
 * helpers pass zlib's native one). Internal: not exported by the package.
 *
 * @example
 * decodeCheckpointWith(bytes, { source: file }, (data) => zlib.crc32(data));
 */
export function decodeCheckpointWith(
  bytes: Uint8Array,
  options: DecodeCheckpointOptions,
  dataCrc32: (bytes: Uint8Array) => number,
): Checkpoint {
  const context = ioContext('decodeCheckpoint', options.source);
  const layout = readSafetensorsLayout(bytes, context);
  const metadata = layout.metadata;
  checkFormat(metadata, context);
  verifyChecksum(
    required(metadata, headerChecksumKey, context),
    headerChecksum(metadata, layout.entries),
    'header',
    context,
  );
  verifyChecksum(
    required(metadata, dataChecksumKey, context),
    dataCrc32(bytes.subarray(layout.dataStart)),
    'data',
    context,
  );
  const rng = parseDocument(metadata, 'rng', context);
  if (!isObject(rng)) throw ioError(context, 'PARSE_ERROR', "metadata 'rng' must be an object");
  let extra: JsonObject | undefined;
  if (Object.hasOwn(metadata, 'extra')) {
    const parsed = parseDocument(metadata, 'extra', context);
    if (!isObject(parsed)) throw ioError(context, 'PARSE_ERROR', "metadata 'extra' must be an object");
    checkTrainingRecord(parsed, context);
    extra = parsed;
  }
  const annetVersion = required(metadata, 'annetVersion', context);
  const architecture = parseDocument(metadata, 'architecture', context);
  const optimizer = parseOptimizer(metadata, context);
  const schedule = parseDocument(metadata, 'schedule', context);
  const dataLoader = parseDocument(metadata, 'dataLoader', context);
  const epoch = parseCount(metadata, 'epoch', context);
  const step = parseCount(metadata, 'step', context);
  const history = parseDocument(metadata, 'history', context);
  // Tensors last: everything that can fail has been checked before any array is built.
  const tensors = tensorsFromLayout(bytes, layout, context, options.copy ?? false);
  const checkpoint: Checkpoint = {
    format: checkpointFormat,
    formatVersion: checkpointFormatVersion,
    annetVersion,
    tensors,
    architecture,
    optimizer,
    schedule,
    rng,
    dataLoader,
    epoch,
    step,
    history,
  };
  return extra === undefined ? checkpoint : { ...checkpoint, extra };
}
