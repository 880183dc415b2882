// File forms of the readers, for Node.js: `import { readIdxFile } from '@annet/dataset/node'`.
// The byte-level forms (and everything else) are in the main entry, which runs in browsers too.
export { readCsvFile, streamCsvFile, csvFileDataset } from './node/csv-file.js';
export { readIdxFile } from './node/idx-file.js';
export { readJsonLinesFile, streamJsonLinesFile } from './node/json-lines-file.js';
export { readNpyFile, readNpzFile } from './node/npy-file.js';
