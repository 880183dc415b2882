import { formatShape, ioError, storageByteSize, type IoContext } from '@annet/tensor';
import { jsonDepth } from '../checkpoint/json-check.js';
import { safetensorsDTypes, storageOf, type SafetensorsDType } from './dtypes.js';

/** One tensor as a safetensors header describes it, checked against the file. */
export interface SafetensorsEntry {
  /** The tensor's name (a header key). */
  readonly name: string;
  /** Its safetensors dtype. */
  readonly dtype: SafetensorsDType;
  /** Its shape, outermost first. */
  readonly shape: readonly number[];
  /** First byte of its data, counted from the start of the data section. */
  readonly begin: number;
  /** One past its last byte, counted from the start of the data section. */
  readonly end: number;
}

/** A parsed and checked safetensors file. */
export interface SafetensorsLayout {
  /** The tensors, in the order of their data. */
  readonly entries: readonly SafetensorsEntry[];
  /** The `__metadata__` map (empty when absent). */
  readonly metadata: Readonly<Record<string, string>>;
  /** Index in the file of the first data byte: 8 + the header length. */
  readonly dataStart: number;
}

/**
 * The largest header length the reader accepts (the reference implementation's limit): no real
 * header comes close to 100 MB, so a larger one means a file that is not safetensors or is corrupt.
 *
 * @example
 * if (headerLength > maximumHeaderLength) reject();
 */
export const maximumHeaderLength = 100_000_000;
const maximumRank = 64;

/**
 * How deep a header may nest. The format needs 3 levels (the header object, a tensor's entry,
 * its shape or offsets array); 16 leaves room for unknown fields. Checked right after parsing,
 * without recursion, so a hostile header nested 100,000 levels deep is an error, not a stack
 * overflow in whatever walks or prints it later.
 */
const maximumHeaderDepth = 16;

/** A short, bounded description of a header value for messages: never serializes it (a hostile value may nest without end). */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value))
    return value.length <= 8 && value.every((item) => typeof item === 'number')
      ? `[${value.join(',')}]`
      : `an array of length ${value.length}`;
  return typeof value === 'object' ? 'an object' : String(value);
}

/**
 * Reads and checks the header of a safetensors file without touching the data: the 8-byte
 * little-endian header length (within the file and below 100 MB), UTF-8 JSON, each tensor's dtype,
 * shape and `data_offsets`, a byte count equal to dtype size × element count, and offsets that
 * cover the data section exactly, without gaps or overlaps. Every failure is an AnnetError naming
 * the source and the problem; nothing is allocated from an unchecked number.
 *
 * @example
 * const { entries, metadata } = readSafetensorsLayout(bytes, ioContext('decodeSafetensors', 'model.safetensors'));
 */
export function readSafetensorsLayout(bytes: Uint8Array, context: IoContext): SafetensorsLayout {
  if (!(bytes instanceof Uint8Array))
    throw ioError(context, 'INVALID_ARGUMENT', `expected a Uint8Array, got ${Object.prototype.toString.call(bytes)}`);
  if (bytes.length < 8)
    throw ioError(
      context,
      'PARSE_ERROR',
      `a safetensors file starts with an 8-byte header length, but it has only ${bytes.length} bytes (truncated?)`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  const headerLength = high * 2 ** 32 + low;
  if (headerLength > maximumHeaderLength) {
    throw ioError(
      context,
      'PARSE_ERROR',
      `header length ${headerLength} is above the ${maximumHeaderLength}-byte limit (not a safetensors file, or corrupt)`,
    );
  }
  if (8 + headerLength > bytes.length) {
    throw ioError(
      context,
      'PARSE_ERROR',
      `header length ${headerLength} runs past the end of the ${bytes.length}-byte file (truncated?)`,
    );
  }
  const header = parseHeaderJson(bytes.subarray(8, 8 + headerLength), context);
  const dataLength = bytes.length - 8 - headerLength;
  const entries: SafetensorsEntry[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') metadata = checkMetadata(value, context);
    else entries.push(checkEntry(name, value, dataLength, context));
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  checkCoverage(entries, dataLength, context);
  return { entries, metadata, dataStart: 8 + headerLength };
}

function parseHeaderJson(headerBytes: Uint8Array, context: IoContext): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
  } catch {
    throw ioError(context, 'PARSE_ERROR', 'the header is not valid UTF-8');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (error) {
    throw ioError(context, 'PARSE_ERROR', `the header is not valid JSON (${(error as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw ioError(
      context,
      'PARSE_ERROR',
      `the header must be a JSON object, got ${Array.isArray(header) ? 'an array' : String(header)}`,
    );
  }
  if (jsonDepth(header, maximumHeaderDepth) > maximumHeaderDepth) {
    throw ioError(
      context,
      'PARSE_ERROR',
      `the header nests more than ${maximumHeaderDepth} levels deep (the format needs 3: the header, a tensor's entry, its shape); not a safetensors header, or a hostile one`,
    );
  }
  return header as Record<string, unknown>;
}

function checkMetadata(value: unknown, context: IoContext): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw ioError(context, 'PARSE_ERROR', '__metadata__ must be an object mapping strings to strings');
  }
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string')
      throw ioError(context, 'PARSE_ERROR', `__metadata__ values must be strings, but '${key}' is ${describe(entry)}`);
  }
  return Object.fromEntries(Object.entries(value as Record<string, string>));
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function checkEntry(name: string, value: unknown, dataLength: number, context: IoContext): SafetensorsEntry {
  const label = name.length > 80 ? `${name.slice(0, 80)}…` : name;
  const fail = (detail: string) => ioError(context, 'PARSE_ERROR', `tensor '${label}': ${detail}`);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw fail('its header entry must be an object with dtype, shape and data_offsets');
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (typeof dtype !== 'string' || !(safetensorsDTypes as readonly string[]).includes(dtype)) {
    throw ioError(
      context,
      'UNSUPPORTED',
      `tensor '${label}': unknown dtype ${describe(dtype)}; expected one of ${safetensorsDTypes.join(', ')}`,
    );
  }
  const storage = storageOf[dtype as SafetensorsDType];
  if (storage === null)
    throw ioError(
      context,
      'UNSUPPORTED',
      `tensor '${label}': dtype ${dtype} (8-bit float) cannot be read into an annet tensor`,
    );
  if (!Array.isArray(shape) || shape.length > maximumRank || !shape.every(isCount)) {
    throw fail(`shape must be an array of at most ${maximumRank} non-negative integers, got ${describe(shape)}`);
  }
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !isCount(offsets[0]) ||
    !isCount(offsets[1]) ||
    offsets[0] > offsets[1]
  ) {
    throw fail(`data_offsets must be [begin, end] with 0 <= begin <= end, got ${describe(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  if (end > dataLength)
    throw fail(`data_offsets [${begin},${end}] run past the ${dataLength}-byte data section (truncated?)`);
  // The product is compared with a byte count that is already known to fit, so it cannot mislead however large it grows.
  let count = 1;
  for (const dimension of shape as number[]) count *= dimension;
  const needed = count * storageByteSize[storage];
  if (needed !== end - begin) {
    throw fail(
      `data_offsets [${begin},${end}] hold ${end - begin} bytes but ${dtype} × ${formatShape(shape as number[])} needs ${needed}`,
    );
  }
  return { name, dtype: dtype as SafetensorsDType, shape: (shape as number[]).slice(), begin, end };
}

function checkCoverage(entries: readonly SafetensorsEntry[], dataLength: number, context: IoContext): void {
  let covered = 0;
  let previous = '';
  for (const entry of entries) {
    if (entry.begin < covered) {
      throw ioError(
        context,
        'PARSE_ERROR',
        `tensors '${previous}' and '${entry.name}' overlap: '${entry.name}' begins at byte ${entry.begin}, before byte ${covered}`,
      );
    }
    if (entry.begin > covered) {
      throw ioError(
        context,
        'PARSE_ERROR',
        `bytes ${covered} to ${entry.begin} of the data section belong to no tensor (a gap before '${entry.name}')`,
      );
    }
    covered = entry.end;
    previous = entry.name;
  }
  if (covered !== dataLength) {
    throw ioError(
      context,
      'PARSE_ERROR',
      `the tensors cover ${covered} bytes but the data section has ${dataLength}; the file has trailing bytes`,
    );
  }
}
