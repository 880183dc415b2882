import { CharacterTokenizer, DataLoader, RandomSampler, SlidingWindowDataset } from '@annet/dataset';
import { createRng, Tensor } from '@annet/tensor';
import { brownCharacterText } from '../text/brown-characters.js';
import { readBrownCorpus } from '../text/brown-corpus.js';
import type { TextSettings } from './text-settings.js';

/**
 * The data of `--task text`: the Brown corpus as characters (tags stripped, tokens joined with
 * spaces, documents with newlines), the first 90 % for training and the last 10 % for validation,
 * nanoGPT's character vocabulary (every character of the text, sorted, no reserved ids), a
 * loader of random windows (`batchSize · evalInterval` per "epoch", drawn with replacement,
 * seeded, resumable), a fixed seeded sample of validation windows, and every non-overlapping
 * validation window for the final figure.
 *
 * @example
 * const data = loadTextData(settings); // data.tokenizer.vocabulary.size === 85
 */
export interface TextData {
  readonly tokenizer: CharacterTokenizer;
  /** The vocabulary's characters in id order. */
  readonly characters: string;
  readonly trainCharacters: number;
  readonly validationCharacters: number;
  readonly loader: DataLoader<unknown, never>;
  readonly validation: { readonly inputs: Tensor<'int32'>; readonly targets: Tensor<'int32'> };
  readonly fullValidation: { readonly inputs: Tensor<'int32'>; readonly targets: Tensor<'int32'> };
}

/**
 * Reads the corpus and builds everything {@link TextData} describes.
 *
 * @example
 * loadTextData(resolveTextSettings(parseCliArguments(['--task', 'text', '--chars', '200000'])));
 */
export function loadTextData(settings: TextSettings): TextData {
  const whole = brownCharacterText(readBrownCorpus()).text;
  const text = settings.characters === null ? whole : whole.slice(0, settings.characters);
  const cut = Math.floor(text.length * 0.9);
  const tokenizer = new CharacterTokenizer({ padding: false, unknown: false }).fit(text);
  const trainIds = tokenizer.encode(text.slice(0, cut));
  const validationIds = tokenizer.encode(text.slice(cut));
  const windows = new SlidingWindowDataset(trainIds, { blockSize: settings.blockSize });
  const sampler = new RandomSampler({ replacement: true, numSamples: settings.batchSize * settings.evalInterval });
  const loader = new DataLoader(windows, {
    batchSize: settings.batchSize,
    sampler,
    seed: settings.seed,
  }) as unknown as DataLoader<unknown, never>;
  const characters = Array.from({ length: tokenizer.vocabulary.size }, (_, id) => tokenizer.decode([id])).join('');
  return {
    tokenizer,
    characters,
    loader,
    trainCharacters: cut,
    validationCharacters: text.length - cut,
    validation: sampledWindows(validationIds, settings.blockSize, settings.validationWindows, settings.seed + 1),
    fullValidation: strideWindows(validationIds, settings.blockSize),
  };
}

/** `count` windows at seeded random starts (with replacement), as inputs and next-character targets. */
function sampledWindows(ids: Int32Array, blockSize: number, count: number, seed: number): TextData['validation'] {
  const rng = createRng(seed);
  const starts = Array.from({ length: count }, () => rng.randint(0, ids.length - blockSize));
  return windowsAt(ids, blockSize, starts);
}

/** Every window starting at a multiple of `blockSize` (each validation character predicted once). */
function strideWindows(ids: Int32Array, blockSize: number): TextData['validation'] {
  const count = Math.floor((ids.length - 1) / blockSize);
  return windowsAt(
    ids,
    blockSize,
    Array.from({ length: count }, (_, index) => index * blockSize),
  );
}

function windowsAt(ids: Int32Array, blockSize: number, starts: readonly number[]): TextData['validation'] {
  const inputs = new Int32Array(starts.length * blockSize);
  const targets = new Int32Array(starts.length * blockSize);
  starts.forEach((start, row) => {
    inputs.set(ids.subarray(start, start + blockSize), row * blockSize);
    targets.set(ids.subarray(start + 1, start + blockSize + 1), row * blockSize);
  });
  return {
    inputs: new Tensor(inputs, [starts.length, blockSize]),
    targets: new Tensor(targets, [starts.length, blockSize]),
  };
}
