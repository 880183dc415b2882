// @annet/serialization: safetensors files, annet checkpoints, and NPY/NPZ (re-exported from
// @annet/tensor so array formats are found where users look for them). Browser-safe; the file
// helpers live in '@annet/serialization/node'.
export { decodeSafetensors, type DecodeSafetensorsOptions, type SafetensorsContents } from './safetensors/decode.js';
export { encodeSafetensors } from './safetensors/encode.js';
export { safetensorsDTypes, type SafetensorsDType } from './safetensors/dtypes.js';
export { maximumHeaderLength } from './safetensors/header.js';
export {
  checkpointFormat,
  checkpointFormatVersion,
  modelTensorName,
  optimizerTensorName,
  parseCheckpointTensorName,
  type Checkpoint,
  type CheckpointTensorName,
  type OptimizerDocument,
} from './checkpoint/checkpoint.js';
export { encodeCheckpoint } from './checkpoint/encode.js';
export { decodeCheckpoint, type DecodeCheckpointOptions } from './checkpoint/decode.js';
export { architectureDifferences, assertArchitectureMatches } from './checkpoint/architecture.js';
export {
  crc32,
  decodeNpy,
  decodeNpyArray,
  decodeNpz,
  decodeNpzArrays,
  encodeNpy,
  encodeNpz,
  type NpyArray,
} from '@annet/tensor';
// Browser storage (no Node imports): IndexedDB, downloads, and bytes from Blob/File/Response/streams.
export { MemoryByteStore, type ByteStore } from './browser/byte-store.js';
export { IndexedDbStore, openIndexedDbStore, type IndexedDbStoreOptions } from './browser/indexed-db-store.js';
export { downloadBytes, downloadStore, type DownloadOptions } from './browser/download.js';
export { isBlob, readBytes, type ByteSource } from './browser/read-bytes.js';
export {
  downloadCheckpoint,
  loadCheckpointFrom,
  readCheckpoint,
  saveCheckpointTo,
} from './browser/checkpoint-store.js';
