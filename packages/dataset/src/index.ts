// Datasets
export { MapDataset, SubsetDataset } from './datasets/map-dataset.js';
export { TensorDataset, type TensorDatasetOptions, type TensorSource } from './datasets/tensor-dataset.js';
export { ArrayDataset } from './datasets/array-dataset.js';
export { IterableDataset } from './datasets/iterable-dataset.js';
export type { StreamSource } from './datasets/stream-values.js';
export type { Batch, NamedBatch, RowLayout, RowSource, Sample, TensorRecord } from './datasets/sample.js';
export { NamedTensorDataset, type NamedSample } from './datasets/named-tensor-dataset.js';

// Loading
export { DataLoader } from './loader/data-loader.js';
export type { DataLoaderOptions } from './loader/loader-options.js';
export type { DataLoaderState } from './loader/loader-state.js';
export { defaultCollate, type Collate, type CollateDTypes } from './loader/collate.js';
export { epochRngState } from './loader/epoch-rng.js';
export { shuffleBuffer } from './loader/shuffle-buffer.js';

// Samplers
export type { Sampler } from './samplers/sampler.js';
export { SequentialSampler } from './samplers/sequential-sampler.js';
export { RandomSampler, type RandomSamplerOptions } from './samplers/random-sampler.js';
export { WeightedRandomSampler, type WeightedRandomSamplerOptions } from './samplers/weighted-random-sampler.js';
export { StratifiedSampler } from './samplers/stratified-sampler.js';

// Splits
export { randomSplit } from './splits/random-split.js';
export { trainTestSplit, type TrainTestSplit, type TrainTestSplitOptions } from './splits/train-test-split.js';
export { kFold, type KFoldOptions } from './splits/k-fold.js';

// Preprocessing
export { StandardScaler, type StandardScalerState } from './preprocessing/standard-scaler.js';
export { MinMaxScaler, type MinMaxScalerOptions, type MinMaxScalerState } from './preprocessing/min-max-scaler.js';
export { oneHot } from './preprocessing/one-hot.js';
export { checkLabels } from './preprocessing/check-labels.js';
export { LabelEncoder, type LabelEncoderState } from './preprocessing/label-encoder.js';

// Text
export {
  Vocabulary,
  paddingToken,
  unknownToken,
  type TokenizerKind,
  type VocabularyOptions,
  type VocabularyState,
} from './text/vocabulary.js';
export { CharacterTokenizer, type CharacterTokenizerOptions } from './text/character-tokenizer.js';
export { WordTokenizer, type WordTokenizerOptions } from './text/word-tokenizer.js';
export type { DecodeOptions, EncodeOptions } from './text/token-ids.js';
export { SlidingWindowDataset, type SlidingWindowOptions } from './text/sliding-window-dataset.js';
export { padSequences, type PadOptions, type PaddedSequences, type SequenceValues } from './text/pad-sequences.js';
export {
  paddedCollate,
  type PaddedBatch,
  type PaddedCollateOptions,
  type SequenceSample,
} from './text/padded-collate.js';
export { BucketSampler, type BucketSamplerOptions } from './text/bucket-sampler.js';

// Readers (byte-level; file forms are in '@annet/dataset/node')
export { decodeIdx, readIdx, type IdxOptions } from './readers/idx.js';
export { gunzip, type DeclaredSize, type GunzipOptions } from './readers/gunzip.js';
export { readNpy, readNpz, type ArrayConversion, type NpyOptions, type NpzOptions } from './readers/npy.js';
export { readCsv, type CsvTable } from './readers/csv/read-csv.js';
export {
  streamCsv,
  csvDataset,
  type CsvChunk,
  type CsvStreamOptions,
  type CsvStreamSource,
} from './readers/csv/stream-csv.js';
export { CsvTokenizer, type RecordSink } from './readers/csv/csv-tokenizer.js';
export type { CsvColumnType, CsvLabelType, CsvOptions } from './readers/csv/csv-options.js';
export { parseJsonLines, streamJsonLines, type JsonLinesOptions } from './readers/json/json-lines.js';
export type { TextChunk } from './readers/text/text-chunks.js';

// Shared
export { sourceError, formatPlace, type Place } from './errors.js';
export type { ByteInput } from './bytes.js';
export { isBrowserByteSource, readByteSource, type BrowserByteSource, type ByteSource } from './byte-source.js';
export type { JsonObject, JsonValue } from './json.js';
