// Array file formats (NPY, NPZ), their element encodings and the CRC-32 checksum. Browser-safe:
// no Node built-ins; the file helpers live in @annet/serialization/node.
export { crc32 } from './crc32.js';
export {
  copyBytes,
  decodeElements,
  decodedDTypeOf,
  encodeElements,
  float16ToNumber,
  hostIsLittleEndian,
  storageByteSize,
  writeTensorElements,
  type DecodedArray,
  type DecodedDType,
  type ElementLayout,
  type StorageType,
} from './element-types.js';
export { ioContext, ioError, type IoContext } from './io-context.js';
export {
  decodeNpy,
  decodeNpyArray,
  encodeNpy,
  maximumNpyHeaderLength,
  npyArrayToTensor,
  type NpyArray,
} from './npy.js';
export { decodeNpz, decodeNpzArrays, encodeNpz } from './npz.js';
