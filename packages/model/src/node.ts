// Node-only parts of @annet/model: files on disk. The main entry stays browser-safe.
export { CSVLogger, type CSVLoggerOptions } from './node/csv-logger.js';
export { expandTemplate, fileCheckpointStore, type FileCheckpointStoreOptions } from './node/file-checkpoint-store.js';
export { createFolders, describeError, removeFolders } from './node/create-folders.js';
export { loadModelFile, saveModelFile } from './node/model-files.js';
