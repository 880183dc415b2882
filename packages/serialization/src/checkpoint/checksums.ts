import { crc32 } from '@annet/tensor';
import { compareCodePoints } from '../safetensors/encode.js';

/** A tensor's header entry as the header checksum covers it. */
export interface TensorDescriptor {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly begin: number;
  readonly end: number;
}

/** Metadata key of the CRC-32 of the data section. */
export const dataChecksumKey = 'dataCrc32';
/** Metadata key of the CRC-32 of everything else in the header. */
export const headerChecksumKey = 'headerCrc32';

/**
 * A CRC-32 as the checkpoint stores it: eight lowercase hexadecimal digits.
 *
 * @example
 * formatChecksum(0xcbf43926); // 'cbf43926'
 */
export function formatChecksum(value: number): string {
  return value.toString(16).padStart(8, '0');
}

/**
 * CRC-32 of a canonical text of the header: every metadata entry except the header checksum
 * itself, sorted by key, and every tensor's name, dtype, shape and offsets, sorted by name. It is
 * computed from parsed values, so it does not depend on JSON spacing or key order, yet any
 * changed value (a digit of `step`, a learning rate, a shape) changes it.
 *
 * @example
 * formatChecksum(headerChecksum({ format: 'annet-checkpoint' }, [])); // 8 hex digits
 */
export function headerChecksum(
  metadata: Readonly<Record<string, string>>,
  tensors: readonly TensorDescriptor[],
): number {
  const entries = Object.entries(metadata)
    .filter(([key]) => key !== headerChecksumKey)
    .sort(([a], [b]) => compareCodePoints(a, b));
  const descriptors = tensors
    .map((tensor) => [tensor.name, tensor.dtype, tensor.shape, tensor.begin, tensor.end] as const)
    .sort((a, b) => compareCodePoints(a[0], b[0]));
  return crc32(new TextEncoder().encode(JSON.stringify([entries, descriptors])));
}
