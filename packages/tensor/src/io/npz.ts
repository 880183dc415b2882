import { AnnetError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { ioContext, type IoContext } from './io-context.js';
import { decodeNpyWith, encodeNpy, npyArrayToTensor, type NpyArray } from './npy.js';
import { extractZipMember, readZipDirectory, writeStoredZip } from './zip.js';

/**
 * Encodes named arrays as an NPZ file: a zip archive of stored (uncompressed) members
 * `<name>.npy`, each written by {@link encodeNpy}; `numpy.load` returns them under their names.
 *
 * @example
 * const bytes = encodeNpz({ weights: tensor([[1, 2], [3, 4]]), labels: { dtype: 'uint8', shape: [2], data: new Uint8Array([0, 1]) } });
 */
export function encodeNpz(arrays: Readonly<Record<string, Tensor | NpyArray>>): Uint8Array {
  if (typeof arrays !== 'object' || arrays === null) {
    throw new AnnetError('INVALID_ARGUMENT', 'encodeNpz', `expected a record of named arrays, got ${String(arrays)}`);
  }
  const members = Object.entries(arrays).map(([name, array]) => {
    if (name === '') throw new AnnetError('INVALID_ARGUMENT', 'encodeNpz', 'array names must be non-empty');
    try {
      return { name: `${name}.npy`, data: encodeNpy(array) };
    } catch (error) {
      if (error instanceof AnnetError)
        throw new AnnetError(error.code, 'encodeNpz', `array '${name}': ${error.message}`, { cause: error });
      throw error;
    }
  });
  return writeStoredZip(members, 'encodeNpz');
}

/**
 * Decodes an NPZ file into plain arrays keyed by name (`x.npy` → `x`), with `uint8` kept as bytes
 * (see {@link decodeNpyArray}). Stored members are read in place; deflated ones
 * (`numpy.savez_compressed`) are inflated with the standard `DecompressionStream`. Every member
 * is checked against its CRC-32; every malformed input is an {@link AnnetError} naming `source`,
 * the member and the problem.
 *
 * @example
 * const { x_train, y_train } = await decodeNpzArrays(bytes, 'mnist.npz');
 */
export async function decodeNpzArrays(bytes: Uint8Array, source?: string): Promise<Record<string, NpyArray>> {
  return readNpz(bytes, ioContext('decodeNpzArrays', source));
}

/**
 * Decodes an NPZ file into tensors keyed by name: as {@link decodeNpzArrays}, with `uint8` and
 * `bool` members widened to `int32`.
 *
 * @example
 * const { weights, bias } = await decodeNpz(await readFile('layer.npz'), 'layer.npz');
 */
export async function decodeNpz(bytes: Uint8Array, source?: string): Promise<Record<string, Tensor>> {
  const arrays = await readNpz(bytes, ioContext('decodeNpz', source));
  return Object.fromEntries(Object.entries(arrays).map(([name, array]) => [name, npyArrayToTensor(array)]));
}

async function readNpz(bytes: Uint8Array, context: IoContext): Promise<Record<string, NpyArray>> {
  if (!(bytes instanceof Uint8Array)) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      context.operation,
      `${context.source}: expected a Uint8Array, got ${Object.prototype.toString.call(bytes)}`,
    );
  }
  const members = readZipDirectory(bytes, context);
  const entries: Array<[string, NpyArray]> = [];
  for (const member of members) {
    const memberContext = { operation: context.operation, source: `${context.source} [${member.name}]` };
    if (!member.name.endsWith('.npy')) {
      throw new AnnetError(
        'PARSE_ERROR',
        context.operation,
        `${memberContext.source}: an NPZ archive holds only .npy members`,
      );
    }
    const data = await extractZipMember(bytes, member, memberContext);
    entries.push([member.name.slice(0, -4), decodeNpyWith(data, memberContext)]);
  }
  // fromEntries defines own properties, so a member named __proto__.npy cannot touch the prototype.
  return Object.fromEntries(entries);
}
