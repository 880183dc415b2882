import { createRng } from '@annet/tensor';
import type { BrownDocument } from './brown-corpus.js';

/**
 * The corpus split by document: no sentence of a held-out document is trained on.
 *
 * @example
 * const { train, validation, test } = splitBrownDocuments(documents, 42); // 400, 50, 50 documents
 */
export interface BrownSplit {
  readonly train: readonly BrownDocument[];
  readonly validation: readonly BrownDocument[];
  readonly test: readonly BrownDocument[];
}

/**
 * Splits the documents 80/10/10 at random with the seed: a permutation of the document indices
 * from the seeded generator of `@annet/tensor`, the first 80 % (rounded down) for training, the
 * next 10 % for validation, the rest for test. Each part keeps file-name order. The same seed
 * gives the same split on every machine.
 *
 * @example
 * splitBrownDocuments(readBrownCorpus(), 42).test.map((document) => document.name);
 */
export function splitBrownDocuments(documents: readonly BrownDocument[], seed: number): BrownSplit {
  const order = createRng(seed).permutation(documents.length);
  const trainCount = Math.floor(documents.length * 0.8);
  const validationCount = Math.floor(documents.length * 0.1);
  const part = (start: number, end: number) =>
    Array.from(order.subarray(start, end))
      .sort((a, b) => a - b)
      .map((index) => documents[index]);
  return {
    train: part(0, trainCount),
    validation: part(trainCount, trainCount + validationCount),
    test: part(trainCount + validationCount, documents.length),
  };
}
