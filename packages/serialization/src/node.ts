// Node-only helpers: files on disk. Everything here uses node:fs; the main entry stays browser-safe.
export { writeFileAtomic, type AtomicWriteOptions } from './node/atomic-write.js';
export { rotatedPath } from './node/rotation.js';
export {
  loadCheckpoint,
  loadNpy,
  loadNpz,
  saveCheckpoint,
  saveNpy,
  saveNpz,
  type SaveCheckpointOptions,
} from './node/files.js';
